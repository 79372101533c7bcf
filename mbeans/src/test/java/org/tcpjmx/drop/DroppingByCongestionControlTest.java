package org.tcpjmx.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackFarmExtension;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * "An operator drops the connections of one TCP stack": on Linux the stack a connection can be
 * given is its congestion-control module, so {@code tcpdrop -S} and {@code -C} select by it, and
 * only the connections using the named module go.
 */
@ExtendWith(LoopbackFarmExtension.class)
class DroppingByCongestionControlTest {
    private static TcpPlatform platform;
    private static LoopbackConnections farm;
    private static TcpDropper dropper;
    private static Pair reno;
    private static Pair cubic;
    private static Pair bbr;
    private static Pair reno6;
    private static Pair timeWait;

    @BeforeAll
    static void connectionsWithThreeModules(TcpPlatform netlink, LoopbackConnections classFarm, TcpDropper confined) {
        platform = netlink;
        farm = classFarm;
        dropper = confined;
        reno = withModule(farm.established(Flavor.IPV4), "reno");
        cubic = withModule(farm.established(Flavor.IPV6), "cubic");
        bbr = withModule(farm.established(Flavor.V4_MAPPED), "bbr");
        reno6 = withModule(farm.established(Flavor.IPV6), "reno");
        timeWait = farm.timeWait(Flavor.IPV4);
        List<TcpConnection> rows = farm.table();
        for (Pair p : List.of(reno, cubic, bbr, reno6)) {
            String expected = p == cubic ? "cubic" : p == bbr ? "bbr" : "reno";
            assertEquals(2, rows.stream().filter(c -> p.isEitherEnd(c) && c.stack().equals(expected)).count(),
                    "both ends of " + p.clientTuple() + " use " + expected + ": " + rows);
        }
        assertEquals("", rows.stream().filter(timeWait::isClientEnd).findFirst().orElseThrow().stack(),
                "a TIME_WAIT socket has no congestion control");
    }

    @Test
    void stacksSelectOnlyTheirConnections() {
        // -l first: exactly the reno sockets, both ends of both connections.
        CommandRun listed = CommandRun.run(dropper, "-l", "-S", "reno");
        assertEquals(0, listed.status(), listed.toString());
        assertEquals(Stream.of(reno.clientTuple(), reno.serverTuple(), reno6.clientTuple(), reno6.serverTuple())
                .map(t -> "tcpdrop " + t).sorted().toList(), listed.sortedOutLines());

        // -C is the same selection on Linux.
        CommandRun cc = CommandRun.run(dropper, "-C", "cubic");
        assertEquals(0, cc.status(), cc.toString());
        assertEquals("", cc.err());
        assertTrue(cc.sortedOutLines().stream().allMatch(l -> l.equals(cubic.clientTuple() + ": dropped")
                || l.equals(cubic.serverTuple() + ": dropped")) && !cc.out().isEmpty(), cc.toString());
        assertGone(cubic);
        assertAlive(reno, bbr, reno6);

        // Two different modules for -S and -C: a socket has one, so nothing is selected.
        CommandRun both = CommandRun.run(dropper, "-S", "reno", "-C", "bbr");
        assertEquals(new CommandRun(0, "", ""), both);
        assertAlive(reno, bbr, reno6);

        // TIME_WAIT sockets are tied to no stack: nothing dropped, the entry stays.
        CommandRun tw = CommandRun.run(dropper, "-S", "bbr", "-s", "TIME_WAIT");
        assertEquals(new CommandRun(0, "", ""), tw);
        assertTrue(farm.table().stream().anyMatch(c -> timeWait.isClientEnd(c) && c.state() == TcpState.TIME_WAIT));

        CommandRun renoEstablished = CommandRun.run(dropper, "-S", "reno", "-s", "ESTABLISHED");
        assertEquals(0, renoEstablished.status(), renoEstablished.toString());
        assertEquals(2, renoEstablished.sortedOutLines().size(), "one end of each reno connection, the other reset with it: "
                + renoEstablished);
        assertGone(reno);
        assertGone(reno6);
        assertAlive(bbr);

        CommandRun bbrAnyCase = CommandRun.run(dropper, "-C", "BBR");
        assertEquals(0, bbrAnyCase.status(), bbrAnyCase.toString());
        assertGone(bbr);
        assertTrue(farm.table().stream().anyMatch(c -> timeWait.isClientEnd(c) && c.state() == TcpState.TIME_WAIT),
                "the TIME_WAIT entry has no stack and stays");
    }

    private static Pair withModule(Pair p, String module) {
        farm.setCongestionControl(p.client(), module);
        farm.setCongestionControl(p.server(), module);
        return p;
    }

    private static void assertGone(Pair p) {
        List<TcpConnection> rows = farm.table();
        assertTrue(rows.stream().noneMatch(p::isEitherEnd), p.clientTuple() + " should be gone: " + rows);
    }

    private static void assertAlive(Pair... pairs) {
        List<TcpConnection> rows = farm.table();
        for (Pair p : pairs) {
            assertEquals(2, rows.stream().filter(c -> p.isEitherEnd(c) && c.state() == TcpState.ESTABLISHED).count(),
                    p.clientTuple() + " should be alive: " + rows);
        }
    }
}
