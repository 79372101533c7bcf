package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
}
