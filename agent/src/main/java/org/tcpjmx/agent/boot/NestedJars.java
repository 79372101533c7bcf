package org.tcpjmx.agent.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The jars nested in the agent jar under {@value #LIB_DIR}, extracted to a private directory (mode 700)
 * so that a plain {@link java.net.URLClassLoader} can read them: JNA, Jolokia and the services they
 * look up read their own resources through {@code jar:} URLs, which need real files.
 */
final class NestedJars {
    /** Where the build puts the implementation jar and its dependencies inside the agent jar. */
    static final String LIB_DIR = "META-INF/tcpjmx/lib/";
    /** Prefix of the extraction directories; the pid follows, so stale ones can be recognised. */
    static final String DIR_PREFIX = "tcpjmx-agent-";

    private final Path directory;
    private final List<URL> urls;

    private NestedJars(Path directory, List<URL> urls) {
        this.directory = directory;
        this.urls = List.copyOf(urls);
    }

    /** The agent jar this class was loaded from. */
    static Path agentJar() {
        CodeSource source = NestedJars.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell which jar the tcpjmx agent was loaded from");
        }
        try {
            Path jar = Paths.get(source.getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the tcpjmx agent must run from its jar, not from " + jar);
            }
            return jar;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read the agent jar location " + source.getLocation(), e);
        }
    }

    /** Extracts every nested jar of {@code agentJar} into a fresh private directory. */
    static NestedJars extract(Path agentJar) throws IOException {
        Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
        removeStale(tmp);
        Path dir = Files.createTempDirectory(tmp, DIR_PREFIX + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<URL> urls = new ArrayList<>();
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String name = e.getName();
                if (!name.startsWith(LIB_DIR) || !name.endsWith(".jar") || name.indexOf('/', LIB_DIR.length()) >= 0) {
                    continue;
                }
                Path target = dir.resolve(name.substring(LIB_DIR.length()));
                try (InputStream in = jar.getInputStream(e)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                urls.add(target.toUri().toURL());
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
        if (urls.isEmpty()) {
            deleteTree(dir);
            throw new IllegalStateException(agentJar + " holds no nested jars under " + LIB_DIR + ": not a tcpjmx agent jar");
        }
        // Implementation first, so its classes win over anything a dependency might also carry.
        urls.sort(Comparator.comparing((URL u) -> !u.getPath().contains("/tcpjmx-agent-impl")).thenComparing(URL::getPath));
        return new NestedJars(dir, urls);
    }

    URL[] urls() {
        return urls.toArray(new URL[0]);
    }

    Path directory() {
        return directory;
    }

    /** Deletes the extracted jars; call after the class loader reading them is closed. */
    void delete() {
        deleteTree(directory);
    }

    /** Directories left by JVMs that died without detaching (kill -9): their pid is gone. */
    private static void removeStale(Path tmp) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*")) {
            for (Path d : dirs) {
                String rest = d.getFileName().toString().substring(DIR_PREFIX.length());
                int dash = rest.indexOf('-');
                if (dash <= 0 || !Files.isDirectory(d) || !Files.isWritable(d)) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(rest.substring(0, dash));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        deleteTree(d);
                    }
                } catch (NumberFormatException notOurs) {
                    // Not a directory this class made; leave it alone.
                }
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            // Best effort: a stale directory costs a few megabytes of /tmp, never a failed start.
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Left for removeStale() of a later start.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Same: best effort.
        }
    }
}
