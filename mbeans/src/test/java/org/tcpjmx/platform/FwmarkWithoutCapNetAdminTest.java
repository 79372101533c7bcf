package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpjmx.testing.UnprivilegedJvm;

/**
 * fwmark without CAP_NET_ADMIN: the kernel neither filters nor reports marks for such a process,
 * so a filter with fwmark is refused with a message saying so, in the kernel and in Java, and other
 * filters still work.
 */
class FwmarkWithoutCapNetAdminTest {
    @Test
    void aFilterWithFwmarkIsRefusedSayingCapNetAdminIsNeeded() {
        Optional<String> unavailable = UnprivilegedJvm.unavailableReason();
        if (unavailable.isPresent()) {
            System.out.println("skipping: " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), () -> "no unprivileged child JVM here: " + unavailable.orElse(""));
        try (UnprivilegedJvm child = UnprivilegedJvm.start(FwmarkWithoutCapNetAdminMain.class,
                List.of(TcpPlatform.class, com.sun.jna.Native.class, org.slf4j.LoggerFactory.class,
                        org.slf4j.jul.JULServiceProvider.class))) {
            List<String> lines = new ArrayList<>();
            for (String l = child.readLine(Duration.ofSeconds(30)); l != null && !l.equals("DONE");
                    l = child.readLine(Duration.ofSeconds(30))) {
                lines.add(l);
            }
            assertEquals(3, lines.size(), lines + " " + child.stderr());
            assertTrue(lines.get(0).startsWith("REFUSED fwmark 0 | fwmark needs CAP_NET_ADMIN"), lines.get(0));
            assertTrue(lines.get(1).startsWith("REFUSED fwmark 0x1/0x1 or owned | fwmark needs CAP_NET_ADMIN"), lines.get(1));
            assertTrue(lines.get(2).startsWith("ROWS "), "other filters still work: " + lines.get(2));
        }
    }
}
