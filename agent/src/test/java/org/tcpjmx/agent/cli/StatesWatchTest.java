package org.tcpjmx.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code states --watch}: refreshes like top, with the change per state; bad combinations are usage errors. */
class StatesWatchTest {

    @Test
    void watchRefreshesTheHistogramCountTimesWithTheChange() throws Exception {
        CommandLineTest.Run r;
        try (ServerSocket ours = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(ours.isBound());
            r = CommandLineTest.run("states", "--watch", "1", "-n", "2", "--bars", "state", "listening");
        }
        assertEquals(0, r.status(), r.err());
        List<String> headers = r.out().lines().filter(l -> l.contains("every 1 s")).toList();
        assertEquals(2, headers.size(), r.out());
        assertTrue(headers.get(0).contains("filter: state listening") && !headers.get(0).contains("change"), headers.get(0));
        assertTrue(headers.get(1).contains("(change since the last refresh)"), headers.get(1));
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("TOTAL ")).count(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("LISTEN ") && (l.endsWith("#") || l.endsWith("\u2588"))),
                "our listener at least: a bar " + r.out());
    }

    @Test
    void countWithoutWatchAndJsonWithWatchAreUsageErrors() {
        CommandLineTest.Run n = CommandLineTest.run("states", "-n", "2");
        assertEquals(64, n.status());
        assertTrue(n.err().contains("-n counts the refreshes of --watch"), n.err());
        CommandLineTest.Run json = CommandLineTest.run("states", "--watch", "1", "--json");
        assertEquals(64, json.status());
        CommandLineTest.Run zero = CommandLineTest.run("states", "--watch", "0");
        assertEquals(64, zero.status());
        assertTrue(zero.err().contains("--watch takes a number from 1 to 3600, not '0'"), zero.err());
    }
}
