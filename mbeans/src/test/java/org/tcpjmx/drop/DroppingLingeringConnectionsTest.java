package org.tcpjmx.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.testing.BlockedRead;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackFarmExtension;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * "An operator clears connections that linger after a close": TIME_WAIT entries (sockets without a
 * file, which nothing else can remove before they expire), and the CLOSE_WAIT of a server that
 * never closes, with its FIN_WAIT_2 peer.
 */
@ExtendWith(LoopbackFarmExtension.class)
class DroppingLingeringConnectionsTest {
    private static TcpPlatform platform;
    private LoopbackConnections farm;
    private TcpDropper dropper;

    @BeforeAll
    static void openPlatform(TcpPlatform netlink) {
        platform = netlink;
    }

    @BeforeEach
    void openFarm(LoopbackConnections farm) {
        this.farm = farm;
        dropper = new TcpDropper(platform, farm.notMine());
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aTimeWaitEntryDisappears(Flavor flavor) {
        Pair p = farm.timeWait(flavor);
        TcpConnection tw = farm.table().stream().filter(p::isClientEnd).findFirst().orElseThrow();
        assertEquals(TcpState.TIME_WAIT, tw.state());
        assertEquals(0, tw.inode(), "a TIME_WAIT socket has no file");

        DropReport r = dropper.dropOne(p.clientArgs()[0], p.clientArgs()[1], p.clientArgs()[2], p.clientArgs()[3]);

        assertEquals(List.of(p.clientTuple() + ": dropped"), DroppingAnEstablishedConnectionTest.messages(r));
        assertEquals("TIME_WAIT", r.outcomes().get(0).state());
        assertTrue(farm.table().stream().noneMatch(p::isEitherEnd), "the TIME_WAIT entry is gone: " + farm.table());
    }

    @Test
    void dropStateTimeWaitClearsEveryTimeWaitEntryAndNothingElse() {
        Pair tw1 = farm.timeWait(Flavor.IPV4);
        Pair tw2 = farm.timeWait(Flavor.IPV6);
        Pair tw3 = farm.timeWait(Flavor.V4_MAPPED);
        Pair alive = farm.established(Flavor.IPV4);

        DropReport r = dropper.dropMatching(new Filter.And(TcpDropper.stateFilter(TcpState.TIME_WAIT), farm.filter()), false);

        assertEquals(3, r.dropped(), r.toString());
        assertEquals(0, r.failed());
        assertEquals(List.of(tw1.clientTuple() + ": dropped", tw2.clientTuple() + ": dropped", tw3.clientTuple() + ": dropped")
                .stream().sorted().toList(), DroppingAnEstablishedConnectionTest.messages(r).stream().sorted().toList());
        List<TcpConnection> left = farm.table();
        assertTrue(left.stream().noneMatch(c -> c.state() == TcpState.TIME_WAIT), left.toString());
        assertEquals(2, left.stream().filter(c -> alive.isEitherEnd(c) && c.state() == TcpState.ESTABLISHED).count());
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void theCloseWaitOfAServerThatNeverClosesIsDropped(Flavor flavor) {
        Pair p = farm.closeWait(flavor);
        BlockedRead client = BlockedRead.start(p.client());

        DropReport r = dropper.dropOne(p.serverArgs()[0], p.serverArgs()[1], p.serverArgs()[2], p.serverArgs()[3]);

        assertEquals(List.of(p.serverTuple() + ": dropped"), DroppingAnEstablishedConnectionTest.messages(r));
        assertEquals("CLOSE_WAIT", r.outcomes().get(0).state());
        BlockedRead.Ending ending = client.await(Duration.ofSeconds(10));
        assertTrue(ending.error() instanceof SocketException && "Connection reset".equals(ending.error().getMessage()),
                "the half-closed client sees the reset: " + ending);
        assertTrue(farm.table().stream().noneMatch(p::isEitherEnd), "both ends are gone: " + farm.table());
    }

    @Test
    void aFinWait2EndIsDroppedByState() {
        Pair p = farm.closeWait(Flavor.IPV4);

        DropReport r = dropper.dropMatching(new Filter.And(TcpDropper.stateFilter(TcpState.FIN_WAIT_2), farm.filter()), false);

        assertEquals(List.of(p.clientTuple() + ": dropped"), DroppingAnEstablishedConnectionTest.messages(r));
        assertEquals("FIN_WAIT_2", r.outcomes().get(0).state());
        assertTrue(farm.table().stream().noneMatch(c -> p.isClientEnd(c)), farm.table().toString());
    }

    @Test
    void anOrphanedFinWait2IsDropped() {
        // The client closes its socket outright: with the default tcp_fin_timeout the kernel keeps the
        // orphan as a timewait socket in substate FIN_WAIT_2, without a file.
        Pair p = farm.established(Flavor.IPV6);
        try {
            p.client().close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        farm.awaitTable(rows -> rows.stream().anyMatch(c -> p.isClientEnd(c) && c.state() == TcpState.FIN_WAIT_2),
                "the orphaned FIN_WAIT_2");

        DropReport r = dropper.dropOne(p.clientArgs()[0], p.clientArgs()[1], p.clientArgs()[2], p.clientArgs()[3]);

        assertEquals(List.of(p.clientTuple() + ": dropped"), DroppingAnEstablishedConnectionTest.messages(r));
        assertTrue(farm.table().stream().noneMatch(p::isClientEnd), farm.table().toString());
        assertTrue(farm.table().stream().anyMatch(c -> p.isServerEnd(c) && c.state() == TcpState.CLOSE_WAIT),
                "the server's CLOSE_WAIT is untouched: " + farm.table());
    }
}
