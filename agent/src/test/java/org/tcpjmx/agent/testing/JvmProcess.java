package org.tcpjmx.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.tcpjmx.examples.DemoServer;

/**
 * A JVM the end-to-end tests start as a process of its own, its output collected line by line.
 * Closing it kills it (and only it).
 */
public final class JvmProcess implements AutoCloseable {
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final Thread outPump;
    private final Thread errPump;

    private JvmProcess(Process process) {
        this.process = process;
        outPump = pump(process.getInputStream(), out, "out");
        errPump = pump(process.getErrorStream(), err, "err");
    }

    /** The java launcher of the JDK running the tests. */
    public static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The agent jar the build just packaged. */
    public static String agentJar() {
        String jar = System.getProperty("tcpjmx.agent.jar");
        if (jar == null || !Files.isRegularFile(Paths.get(jar))) {
            throw new IllegalStateException("tcpjmx.agent.jar not set or missing (" + jar + "): run the ITs through mvn verify");
        }
        return jar;
    }

    /** Where the demo server's classes are (the examples module's jar or classes directory). */
    public static String demoClassPath() {
        try {
            return Paths.get(DemoServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the demo server's classes", e);
        }
    }

    /** Starts {@code java JVM_OPTIONS -cp DEMO DemoServer DEMO_ARGS}. */
    public static JvmProcess demo(String java, List<String> jvmOptions, String... demoArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(demoClassPath());
        cmd.add(DemoServer.class.getName());
        cmd.addAll(List.of(demoArgs));
        return start(cmd);
    }

    public static JvmProcess start(List<String> command) {
        return start(command, new ProcessBuilder(command));
    }

    /** Starts a prepared process builder ({@code command} is for messages). */
    public static JvmProcess start(List<String> command, ProcessBuilder pb) {
        try {
            // The application must not inherit the test JVM's options (surefire/failsafe set some).
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            return new JvmProcess(pb.start());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e, e);
        }
    }

    private static Thread pump(InputStream in, List<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (sink) {
                        sink.add(line);
                        sink.notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process is gone; what was read stays.
            }
        }, "it-pump-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until both output streams reached their end (after the process ended). */
    public void drained(long seconds) {
        try {
            outPump.join(TimeUnit.SECONDS.toMillis(seconds));
            errPump.join(TimeUnit.SECONDS.toMillis(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String pid() {
        return Long.toString(process.pid());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until a stdout line matches; fails with everything printed so far. */
    public String awaitOut(Predicate<String> match, long seconds) {
        return await(out, 0, match, seconds, "stdout");
    }

    /** Waits until a stdout line from index {@code from} on matches. */
    public String awaitOut(int from, Predicate<String> match, long seconds) {
        return await(out, from, match, seconds, "stdout");
    }

    /** Waits until a stderr line matches. */
    public String awaitErr(Predicate<String> match, long seconds) {
        return await(err, 0, match, seconds, "stderr");
    }

    /** The demo server's port, once it printed {@code READY port=P}. */
    public int awaitReady() {
        String line = awaitOut(l -> l.startsWith("READY port="), 30);
        return Integer.parseInt(line.split("\\s+")[1].substring("port=".length()));
    }

    private String await(List<String> lines, int from, Predicate<String> match, long seconds, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int seen = from;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && seen == lines.size())) {
                    throw new AssertionError("no matching line on " + what + " of pid " + pid() + " (alive=" + process.isAlive()
                            + ")\nstdout:\n" + String.join("\n", snapshot(out)) + "\nstderr:\n" + String.join("\n", snapshot(err)));
                }
                try {
                    lines.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    public List<String> stdout() {
        return snapshot(out);
    }

    public List<String> stderr() {
        return snapshot(err);
    }

    private static List<String> snapshot(List<String> lines) {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Writes a line to the process's standard input. */
    public void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to pid " + pid() + ": " + e, e);
        }
    }

    /** Waits for the process to end by itself; returns its exit status. */
    public int waitFor(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("pid " + pid() + " still running after " + seconds + " s\nstderr:\n" + String.join("\n", stderr()));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
