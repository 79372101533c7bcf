package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.tcpjmx.agent.testing.JvmProcess;

/** Target JVMs for the reliability tests: the demo server with the agent loaded at start-up. */
final class Targets {
    /** The line the demo server prints when the agent published its URL before main. */
    private static final String AGENT_LINE = "tcpjmx agent: ";

    private Targets() {
    }

    /** {@code -javaagent:JAR=OPTIONS} for the agent jar the build packaged. */
    static String javaagent(String options) {
        return "-javaagent:" + JvmProcess.agentJar() + "=" + options;
    }

    /** The demo's arguments for a quiet target: one chatty client, no idle ones. */
    static List<String> quietDemo() {
        return List.of("--port", "0", "--clients", "1", "--idle", "0");
    }

    /** The Jolokia URL the demo printed (the agent started before main). */
    static String url(JvmProcess demo) {
        return demo.awaitOut(l -> l.startsWith(AGENT_LINE), 30).substring(AGENT_LINE.length()).trim();
    }

    /** Nothing escaped to the application: no stack trace and no uncaught exception on its stderr. */
    static void assertNoStackTrace(JvmProcess target) {
        List<String> err = target.stderr();
        assertFalse(err.stream().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread")),
                "no stack trace in the application's output:\n" + String.join("\n", err));
        assertTrue(target.isAlive(), "the application runs on");
    }

    /** The demo still answers: a new connection to its echo port gets its line back. */
    static void assertServes(int demoPort) {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), demoPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("still serving\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("still serving", in.readLine());
        } catch (IOException e) {
            throw new AssertionError("the demo server stopped serving: " + e, e);
        }
    }

    /**
     * A copy of the agent jar and the demo's classes that any user can read, with a scratch directory
     * any user can write (the agent unpacks its nested jars, JNA its native library, into the JVM's
     * temporary directory): the work tree may not be readable by {@code nobody}.
     */
    static final class WorldReadable implements AutoCloseable {
        final Path root;
        final Path agentJar;
        final Path demoClasses;
        final Path tmp;

        WorldReadable() {
            try {
                root = Files.createTempDirectory("tcpjmx-rel-");
                agentJar = Files.copy(Paths.get(JvmProcess.agentJar()), root.resolve("tcpjmx-agent.jar"));
                demoClasses = root.resolve("demo");
                copyTree(Paths.get(JvmProcess.demoClassPath()), demoClasses);
                tmp = Files.createDirectories(root.resolve("tmp"));
                try (Stream<Path> all = Files.walk(root)) {
                    for (Path p : (Iterable<Path>) all::iterator) {
                        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // A leftover temporary file decides nothing.
            }
        }

        private static void copyTree(Path src, Path dst) throws IOException {
            if (Files.isRegularFile(src)) {
                Files.createDirectories(dst);
                Files.copy(src, dst.resolve(src.getFileName()));
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
                    Files.copy(file, dst.resolve(src.relativize(file).toString()));
                    return FileVisitResult.CONTINUE;
                }
            });
        }

        /** The class path of the copied demo: its directory, or the jar inside it. */
        String demoClassPath() {
            Path src = Paths.get(JvmProcess.demoClassPath());
            return Files.isRegularFile(src) ? demoClasses.resolve(src.getFileName()).toString() : demoClasses.toString();
        }
    }
}
