package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * Issue 11 item 4 for real, in a network namespace of its own (so "every connection" is the test's
 * and nobody else's): {@code tcpdrop --url URL -a} through the real command line and
 * {@code dropMatching("dport = :PORT", false)} through curl get their report back, because neither
 * end of the connection carrying the request is cut; a keep-alive client of the agent in another
 * process (bash) survives both; the demo's own connections are dropped.
 */
class ManagementConnectionsNetnsIT {
    private static final int AGENT_PORT = 18790;
    private static final String SCRIPT = String.join("\n",
            "set -u",
            "ip link set lo up",
            "\"$JAVA\" -javaagent:\"$AGENT_JAR\"=port=" + AGENT_PORT + " -cp \"$DEMO_CP\" org.tcpjmx.examples.DemoServer --port 7070 --clients 2 --idle 2"
                    + " --duration 120 > \"$WORK/demo.out\" 2>&1 &",
            "demo=$!",
            "for i in $(seq 300); do grep -q READY \"$WORK/demo.out\" && break; sleep 0.1; done",
            "url=$(grep -m1 '^tcpjmx agent: ' \"$WORK/demo.out\" | cut -d' ' -f3)",
            "sleep 1",
            // A client of the agent in another process, kept open across both drops.
            "exec 3<>/dev/tcp/127.0.0.1/" + AGENT_PORT,
            "printf 'GET /jolokia/version HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' >&3",
            "sleep 0.5",
            "echo BEFORE; ss -tanH exclude listening",
            "echo CLI; \"$JAVA\" -jar \"$AGENT_JAR\" tcpdrop --url \"$url\" -a 2>&1; echo \"CLI-EXIT $?\"",
            "echo CURL; curl -sS -m 20 -H 'Content-Type: application/json' -d '{\"type\":\"exec\",\"mbean\":\"org.tcpjmx:type=Drop\","
                    + "\"operation\":\"dropMatching\",\"arguments\":[\"dport = :" + AGENT_PORT + "\",false]}' \"$url\"; echo; echo \"CURL-EXIT $?\"",
            "echo AFTER; ss -tanH exclude listening exclude time-wait",
            "printf 'GET /jolokia/version HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' >&3",
            "timeout 5 head -c 12 <&3; echo; echo END",
            "kill $demo",
            "");

    @Test
    void theCliAndADropByDestinationPortThroughHttpGetTheirReportBackAndNoManagementConnectionIsCut() throws Exception {
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/unshare")), "skipped: unshare(1) is not installed");
        Process probe = new ProcessBuilder("unshare", "--net", "true").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor() == 0, "skipped: cannot create a network namespace here (needs CAP_SYS_ADMIN)");

        Path work = Files.createTempDirectory("management-netns");
        ProcessBuilder pb = new ProcessBuilder("unshare", "--net", "bash", "-c", SCRIPT).redirectErrorStream(true);
        pb.environment().put("JAVA", JvmProcess.java());
        pb.environment().put("AGENT_JAR", JvmProcess.agentJar());
        pb.environment().put("DEMO_CP", JvmProcess.demoClassPath());
        pb.environment().put("WORK", work.toString());
        Process p = pb.start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), all);
        List<String> lines = all.lines().toList();

        String cli = between(all, "CLI\n", "CLI-EXIT");
        assertTrue(lines.contains("CLI-EXIT 0"), "the CLI got its report back; spared connections are no failure:\n" + all);
        assertFalse(cli.contains("cannot reach the agent"), all);
        assertTrue(cli.contains(": dropped"), "the demo's own connections were dropped:\n" + all);
        assertTrue(cli.contains("skipped: a protected management connection"), "and the management ones reported as spared:\n" + all);
        assertTrue(cli.lines().anyMatch(l -> l.matches("tcpdrop: \\S+ \\d+ \\S+ " + AGENT_PORT + ": skipped: a protected management connection")),
                "a client end (remote port the agent's) is among them:\n" + all);
        assertTrue(cli.lines().anyMatch(l -> l.matches("tcpdrop: \\S+ " + AGENT_PORT + " \\S+ \\d+: skipped: a protected management connection")),
                "and a server end:\n" + all);

        String curl = between(all, "CURL\n", "CURL-EXIT");
        assertTrue(lines.contains("CURL-EXIT 0"), all);
        assertTrue(curl.contains("\"status\":200") && curl.contains("\"dropped\":0") && curl.contains("REFUSED"),
                "dropMatching by dport answered, dropping nothing of the agent's:\n" + all);

        String before = between(all, "BEFORE\n", "CLI\n");
        String after = between(all, "AFTER\n", "END");
        assertTrue(after.contains("HTTP/1.1 200"), "the other process's keep-alive client of the agent still works:\n" + all);
        List<String> agentEnds = before.lines().filter(l -> l.contains(":" + AGENT_PORT + " ") || l.endsWith(":" + AGENT_PORT))
                .map(ManagementConnectionsNetnsIT::tuple).toList();
        assertFalse(agentEnds.isEmpty(), all);
        List<String> afterTuples = after.lines().map(ManagementConnectionsNetnsIT::tuple).toList();
        assertTrue(afterTuples.containsAll(agentEnds), "both ends of the bash client's connection are still there:\n" + all);
        assertFalse(before.lines().filter(l -> l.contains(":7070")).map(ManagementConnectionsNetnsIT::tuple).anyMatch(afterTuples::contains),
                "the demo's connections present before were all dropped:\n" + all);
        assertEquals(List.of(), lines.stream().filter(l -> l.contains("Exception")).toList(), all);
    }

    /** "LOCAL REMOTE" of an ss line. */
    private static String tuple(String ssLine) {
        String[] f = ssLine.trim().split("\\s+");
        return f.length < 5 ? ssLine : f[3] + " " + f[4];
    }

    private static String between(String all, String from, String to) {
        int a = all.indexOf(from);
        int b = a < 0 ? -1 : all.indexOf(to, a);
        return a < 0 || b < 0 ? "" : all.substring(a + from.length(), b);
    }
}
