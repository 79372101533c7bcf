package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * When native access is impossible (JNA's library cannot load, as under a JDK that denies native
 * access), the table still works from /proc, and says where it comes from.
 */
class NetlinkUnavailableTest {

    @Test
    void withoutNativeAccessTheTableFallsBackToProcAndStillSeesOwnSockets() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Djna.nosys=true", "-Djna.noclasspath=true", "-Djna.nounpack=true",
                "-Djna.boot.library.path=/nonexistent", "-cp", System.getProperty("java.class.path"),
                "org.tcpjmx.platform.NamespaceProbe").redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().collect(Collectors.toList());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        assertTrue(lines.contains("BACKEND PROCFS"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("netlink sock_diag unavailable")), "the fallback is logged: " + lines);
        String port = lines.stream().filter(l -> l.startsWith("LISTENER ")).findFirst().orElseThrow().substring(9);
        List<String> own = lines.stream().filter(l -> l.startsWith("ROW ") && l.contains(":" + port) && l.endsWith("owned=true"))
                .collect(Collectors.toList());
        assertEquals(3, own.size(), "listener and both ends, owned, from /proc: " + lines);
    }
}
