package org.tcpjmx.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second JVM running as user {@code nobody} with no capabilities at all (via {@code setpriv}),
 * talking to the test line by line over its stdin and stdout. Its class path is a world-readable
 * copy of the code sources of the classes it needs (the work tree may not be readable by nobody).
 *
 * <p>Use {@link #unavailableReason()} in a JUnit assumption: the test needs root (to switch
 * users) and {@code setpriv}.
 */
public final class UnprivilegedJvm implements AutoCloseable {
    private static final Path SETPRIV = Paths.get("/usr/bin/setpriv");

    private final Process process;
    private final WorldReadableCopy classPathCopy;
    private final BufferedReader stdout;
    private final OutputStream stdin;
    private final Path stderrFile;

    private UnprivilegedJvm(Process process, WorldReadableCopy classPathCopy, Path stderrFile) {
        this.process = process;
        this.classPathCopy = classPathCopy;
        this.stderrFile = stderrFile;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stdin = process.getOutputStream();
    }

    /** Why an unprivileged child cannot be started here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (!Files.isExecutable(SETPRIV)) {
            return Optional.of(SETPRIV + " is not installed");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("switching to user nobody needs root; this JVM runs as " + System.getProperty("user.name"));
        }
        return Optional.empty();
    }

    /**
     * Starts {@code mainClass} as {@code nobody:nogroup}, no supplementary groups, empty inheritable
     * and bounding capability sets.
     *
     * @param classPathOf classes whose code sources (directory or jar) make up the child's class path
     */
    public static UnprivilegedJvm start(Class<?> mainClass, List<Class<?>> classPathOf, String... args) {
        Set<Path> sources = new LinkedHashSet<>();
        sources.add(codeSource(mainClass));
        for (Class<?> c : classPathOf) {
            sources.add(codeSource(c));
        }
        WorldReadableCopy copy = WorldReadableCopy.of(List.copyOf(sources));
        try {
            Path stderr = Files.createTempFile("tcpjmx-unprivileged-", ".stderr");
            List<String> command = new ArrayList<>(asNobody(List.of(javaExecutable(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "-Djava.io.tmpdir=" + copy.tmp(), "-Djna.tmpdir=" + copy.tmp(),
                    "-cp", String.join(":", copy.entries().stream().map(Path::toString).toList()), mainClass.getName())));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).directory(copy.root().toFile())
                    .redirectError(stderr.toFile()).start();
            return new UnprivilegedJvm(p, copy, stderr);
        } catch (IOException e) {
            copy.close();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code command} run as {@code nobody:nogroup} with no supplementary groups and empty inheritable
     * and bounding capability sets: {@code setpriv ... -- COMMAND}.
     */
    public static List<String> asNobody(List<String> command) {
        List<String> out = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup",
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"));
        out.addAll(command);
        return out;
    }

    /**
     * A copy of some jars and class directories that any user can read, each under its own file
     * name, with a scratch directory any user can write (a JVM unpacks native libraries and nested
     * jars into its temporary directory): the work tree may not be readable by {@code nobody}.
     * Closing it deletes the copy.
     */
    public static final class WorldReadableCopy implements AutoCloseable {
        private final Path root;
        private final List<Path> entries;

        private WorldReadableCopy(Path root, List<Path> entries) {
            this.root = root;
            this.entries = entries;
        }

        /** Copies each source (a jar or a directory tree) into a new world-readable directory. */
        public static WorldReadableCopy of(List<Path> sources) {
            try {
                Path root = Files.createTempDirectory("tcpjmx-unprivileged-");
                List<Path> entries = new ArrayList<>();
                int i = 0;
                for (Path src : sources) {
                    Path dst = Files.createDirectories(root.resolve(Integer.toString(i++))).resolve(src.getFileName().toString());
                    copyTree(src, dst);
                    entries.add(dst);
                }
                Files.createDirectories(root.resolve("tmp"));
                makeWorldReadable(root);
                makeWorldWritable(root.resolve("tmp"));
                return new WorldReadableCopy(root, List.copyOf(entries));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The copies, in the order of the sources. */
        public List<Path> entries() {
            return entries;
        }

        /** A directory any user can write, for {@code -Djava.io.tmpdir}. */
        public Path tmp() {
            return root.resolve("tmp");
        }

        /** The directory holding the copies. */
        public Path root() {
            return root;
        }

        @Override
        public void close() {
            deleteTree(root);
        }
    }

    /** The next line the child printed; fails the test when it ends first or takes longer than {@code timeout}. */
    public String readLine(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!stdout.ready()) {
                if (!process.isAlive() && !stdout.ready()) {
                    String line = stdout.readLine();
                    if (line != null) {
                        return line;
                    }
                    throw new AssertionError("child JVM exited with " + process.exitValue() + " before printing a line; stderr: " + stderr());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("child JVM printed nothing within " + timeout + "; stderr: " + stderr());
                }
                Thread.sleep(5);
            }
            return stdout.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends one line to the child's stdin. */
    public void writeLine(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the child to exit and returns its status. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("child JVM still running after " + timeout + "; stderr: " + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What the child wrote to stderr so far. */
    public String stderr() {
        try {
            return Files.readString(stderrFile);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Kills the child if it still runs and deletes its class path copy. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        classPathCopy.close();
        deleteTree(stderrFile);
    }

    private static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path codeSource(Class<?> c) {
        try {
            return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no code source for " + c.getName(), e);
        }
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        if (Files.isRegularFile(src)) {
            Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(dst.resolve(src.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, dst.resolve(src.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void makeWorldReadable(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static void makeWorldWritable(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temp file is harmless; the test's verdict does not depend on it
        }
    }
}
