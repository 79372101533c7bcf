package org.tcpjmx.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM the harness started ({@link FarmWorker} or the agent CLI): its output lines arrive on
 * a queue, its standard input takes commands, and it dies with the harness. Every live child is
 * registered with one shutdown hook, so an interrupted or failing run leaves no process (and no
 * socket) behind.
 */
final class ChildJvm implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final String END = "\u0000end-of-output";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "bench-children-reaper"));
    }

    private final String name;
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        LIVE.add(process);
        Thread reader = new Thread(this::pump, "bench-child-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** The java launcher of this JVM. */
    static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Where this harness's classes are: the bench jar, or target/classes when run from the build. */
    static Path benchClasspath() {
        try {
            return Paths.get(FarmWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the bench classes", e);
        }
    }

    /** Starts a JVM running {@code mainClass} from the bench classpath. */
    static ChildJvm startMain(String name, List<String> jvmOptions, String mainClass, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(benchClasspath().toString());
        cmd.add(mainClass);
        cmd.addAll(args);
        return start(name, cmd);
    }

    /** Starts any command; its standard error goes to ours. */
    static ChildJvm start(String name, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ChildJvm(name, pb.start());
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /**
     * The next output line that starts with one of {@code prefixes}; other lines are skipped.
     *
     * @throws IOException when the child ends or the time runs out first
     */
    String awaitLine(Duration timeout, String... prefixes) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line;
            try {
                line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(name + ": interrupted while waiting for output", e);
            }
            if (line == null) {
                throw new IOException(name + " printed no line starting with " + String.join("/", prefixes) + " within " + timeout);
            }
            if (line.equals(END)) {
                lines.add(END);
                throw new IOException(name + " ended (exit " + exitStatus() + ") before printing " + String.join("/", prefixes));
            }
            for (String p : prefixes) {
                if (line.startsWith(p)) {
                    return line;
                }
            }
        }
    }

    /** Sends one line to the child's standard input. */
    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    /** Waits for the child to exit on its own; its exit status. */
    int waitFor(Duration timeout) throws IOException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(name + " still running after " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(name + ": interrupted", e);
        }
    }

    private String exitStatus() {
        return process.isAlive() ? "still alive" : String.valueOf(process.exitValue());
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child is gone; END below tells the waiters
        }
        lines.add(END);
    }

    /** Closes the child's standard input: a farm worker then resets its sockets and exits. */
    void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // a child that already died has no input to close
        }
    }

    /** Closes standard input (a farm worker then resets its sockets and exits), then kills what is left. */
    @Override
    public void close() {
        closeInput();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(process);
        }
    }
}
