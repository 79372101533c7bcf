package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * tcpdrop(8)'s own example, for real: {@code tcpdrop -l -a | grep -vw PORT | sh} drops every
 * connection but those of PORT. It runs in a network namespace of its own, so "every connection"
 * is the demo server's and nobody else's on this machine.
 */
class TcpdropShellRoundTripIT {
    private static final String SCRIPT = String.join("\n",
            "set -u",
            "ip link set lo up",
            "export PATH=\"$TCPDROP_DIR:$PATH\"",
            "\"$JAVA\" -cp \"$DEMO_CP\" org.tcpjmx.examples.DemoServer --port 7070 --clients 2 --idle 2 --leak-close-wait 2 --stuck-backend --duration 120 > \"$WORK/demo.out\" 2>&1 &",
            "demo=$!",
            "for i in $(seq 300); do grep -q READY \"$WORK/demo.out\" && break; sleep 0.1; done",
            "sleep 1",
            "echo BEFORE; ss -tanH exclude listening",
            "echo LIST; tcpdrop -l -a",
            "tcpdrop -l -a | grep -vw 7070 | sh",
            "echo \"PIPELINE $?\"",
            "sleep 0.5",
            "echo AFTER; ss -tanH exclude listening exclude time-wait",
            "kill $demo",
            "");

    @Test
    void listingEverythingButOnePortAndPipingItToShDropsEverythingButThatPort() throws Exception {
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/unshare")), "skipped: unshare(1) is not installed");
        Process probe = new ProcessBuilder("unshare", "--net", "true").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor() == 0, "skipped: cannot create a network namespace here (needs CAP_SYS_ADMIN)");

        Path work = Files.createTempDirectory("tcpdrop-roundtrip");
        Path tcpdrop = Paths.get(JvmProcess.agentJar()).resolveSibling("tcpdrop");
        assertTrue(Files.isExecutable(tcpdrop), "the launcher script sits next to the jar: " + tcpdrop);
        ProcessBuilder pb = new ProcessBuilder("unshare", "--net", "bash", "-c", SCRIPT).redirectErrorStream(true);
        pb.environment().put("TCPDROP_DIR", tcpdrop.getParent().toString());
        pb.environment().put("JAVA", JvmProcess.java());
        pb.environment().put("JAVA_HOME", Paths.get(System.getProperty("java.home")).toString());
        pb.environment().put("DEMO_CP", JvmProcess.demoClassPath());
        pb.environment().put("WORK", work.toString());
        Process p = pb.start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().collect(Collectors.toList());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String all = String.join("\n", lines);

        List<String> before = section(lines, "BEFORE", "LIST");
        List<String> listed = section(lines, "LIST", null).stream().filter(l -> l.startsWith("tcpdrop ")).collect(Collectors.toList());
        List<String> after = section(lines, "AFTER", null);
        // Dropping one end of a loopback connection resets the other, so its own line later finds
        // nothing, exactly as with tcpdrop(8) on FreeBSD: those are the only errors allowed.
        assertTrue(lines.stream().filter(l -> l.startsWith("tcpdrop: ")).allMatch(l -> l.endsWith(": no such connection")), all);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(": dropped")), all);

        assertTrue(before.stream().anyMatch(l -> !isPort7070(l)), "the demo had connections elsewhere (leak, backend): " + all);
        assertTrue(before.stream().anyMatch(NOT_EMPTY_AND_7070), "and connections of port 7070: " + all);
        // -l prints numeric "tcpdrop LADDR LPORT FADDR FPORT" lines, one per connection, no listener.
        assertTrue(listed.stream().allMatch(l -> l.matches("tcpdrop \\S+ \\d+ \\S+ \\d+")), all);
        assertEquals(before.size(), listed.size(), "one line per connection in the table: " + all);

        assertFalse(after.isEmpty(), "port 7070's connections are still there: " + all);
        assertTrue(after.stream().allMatch(TcpdropShellRoundTripIT::isPort7070), "everything else was dropped: " + all);
    }

    private static final java.util.function.Predicate<String> NOT_EMPTY_AND_7070 = l -> !l.isBlank() && isPort7070(l);

    private static boolean isPort7070(String ssLine) {
        return ssLine.matches(".*:7070\\s.*") || ssLine.matches(".*:7070$");
    }

    /** The lines after the marker line {@code from} up to {@code to} (or up to any other marker). */
    private static List<String> section(List<String> lines, String from, String to) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : lines) {
            if (l.equals(from)) {
                in = true;
                continue;
            }
            if (in && (l.equals(to) || l.equals("LIST") || l.equals("AFTER") || l.startsWith("PIPELINE")
                    || l.startsWith("tcpdrop: ") || l.endsWith(": dropped"))) {
                break;
            }
            if (in && !l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }
}
