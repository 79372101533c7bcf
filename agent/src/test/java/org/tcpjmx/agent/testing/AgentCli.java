package org.tcpjmx.agent.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code java -jar tcpjmx-agent.jar ...} run as a process, as a user runs it. */
public final class AgentCli {
    private AgentCli() {
    }

    /** What one command printed and returned. */
    public record Result(int status, String out, String err) {
        /** The output's first line, trimmed (attach prints the URL alone). */
        public String firstLine() {
            return out.lines().findFirst().orElse("").trim();
        }

        @Override
        public String toString() {
            return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    public static Result run(String... args) {
        return runWith(JvmProcess.java(), Map.of(), args);
    }

    /** Runs the command line with the given java launcher and extra environment. */
    public static Result runWith(String java, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", JvmProcess.agentJar()));
        cmd.addAll(List.of(args));
        return exec(cmd, env);
    }

    /** {@code jcmd PID COMMAND} of the JDK running the tests; its output. */
    public static String jcmd(String pid, String command) {
        String jcmd = java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString();
        Result r = exec(List.of(jcmd, pid, command), Map.of());
        if (r.status() != 0) {
            throw new AssertionError("jcmd " + pid + " " + command + " failed: " + r);
        }
        return r.out();
    }

    /** Runs any command to its end. */
    public static Result exec(List<String> cmd, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        try (JvmProcess p = JvmProcess.start(cmd, pb)) {
            int status = p.waitFor(120);
            // The pumps may still be draining the last lines.
            p.drained(5);
            return new Result(status, String.join("\n", p.stdout()) + (p.stdout().isEmpty() ? "" : "\n"),
                    String.join("\n", p.stderr()));
        }
    }
}
