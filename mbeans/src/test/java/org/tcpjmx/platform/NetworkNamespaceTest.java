package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A JVM in a network namespace of its own sees that namespace's sockets, as ss inside it does. */
class NetworkNamespaceTest {

    @Test
    void aJvmInItsOwnNetworkNamespaceSeesOnlyThatNamespacesSockets() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "skipped: unshare(1) is not installed");
        Process probe = new ProcessBuilder("unshare", "--net", "true").redirectErrorStream(true).start();
        String why = new String(probe.getInputStream().readAllBytes());
        assumeTrue(probe.waitFor() == 0, "skipped: cannot create a network namespace here (needs CAP_SYS_ADMIN): " + why);

        try (ServerSocket outside = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("java.class.path");
            Process p = new ProcessBuilder("unshare", "--net", "sh", "-c",
                    "ip link set lo up && \"$0\" -cp \"$1\" org.tcpjmx.platform.NamespaceProbe && ss -tanH", java, cp)
                    .redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().collect(Collectors.toList());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe finished");
            assertEquals(0, p.exitValue(), String.join("\n", lines));

            assertTrue(lines.contains("BACKEND NETLINK"), "netlink works inside the namespace: " + lines);
            String port = lines.stream().filter(l -> l.startsWith("LISTENER ")).findFirst().orElseThrow().substring(9);
            List<String> rows = lines.stream().filter(l -> l.startsWith("ROW ")).collect(Collectors.toList());
            assertEquals(3, rows.size(), "a listener and both ends of one connection, nothing else: " + rows);
            // A default JVM binds dual-stack sockets: the listener shows as ::ffff:127.0.0.1.
            assertTrue(rows.stream().anyMatch(r -> r.matches("ROW LISTEN \\[?(::ffff:)?127\\.0\\.0\\.1]?:" + port + " .* owned=true")), rows.toString());
            assertTrue(rows.stream().noneMatch(r -> r.contains(":" + outside.getLocalPort() + " ")), "the host's listener is not visible");
            assertTrue(lines.contains("HISTOGRAM 3"));
            assertTrue(lines.contains("TOTAL 3"), "the namespace holds nothing else: " + lines);
            // ss inside the namespace: the connection's sockets are gone by then (the probe exited),
            // so its answer is the namespace's leftover TIME_WAIT at most, never the host's sockets.
            assertTrue(lines.stream().filter(l -> !l.startsWith("ROW") && !l.startsWith("BACKEND") && !l.startsWith("LISTENER")
                    && !l.startsWith("HISTOGRAM") && !l.startsWith("TOTAL") && !l.isBlank()).allMatch(l -> l.contains(":" + port)),
                    "ss in the namespace sees only the probe's port: " + lines);
        }
    }
}
