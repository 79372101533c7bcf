package org.tcpjmx.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.testing.BlockedRead;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackFarmExtension;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * "An operator drops one ESTABLISHED connection of a running server by its 4-tuple": the peer's
 * blocked read fails with a reset, the owner's with an abort, and the table no longer lists it.
 */
@ExtendWith(LoopbackFarmExtension.class)
class DroppingAnEstablishedConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
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
        // Confines any bulk operation to this test's sockets: everything else is protected.
        dropper = new TcpDropper(platform, farm.notMine());
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void theDroppedEndAbortsItsOwnerAndResetsThePeer(Flavor flavor) {
        Pair p = farm.established(flavor);
        BlockedRead owner = BlockedRead.start(p.client());
        BlockedRead peer = BlockedRead.start(p.server());

        DropReport r = dropper.dropOne(p.clientArgs()[0], p.clientArgs()[1], p.clientArgs()[2], p.clientArgs()[3]);

        assertEquals(1, r.matched());
        assertEquals(1, r.dropped());
        assertEquals(0, r.failed());
        assertTrue(r.succeeded());
        assertEquals(List.of(), r.errors());
        assertEquals(1, r.outcomes().size());
        DropOutcome o = r.outcomes().get(0);
        assertEquals(p.clientTuple() + ": dropped", o.message());
        assertEquals(p.clientTuple(), o.tuple());
        assertEquals("ESTABLISHED", o.state());
        assertEquals(DropStatus.DROPPED, o.status());

        BlockedRead.Ending peerEnding = peer.await(WAIT);
        assertInstanceOf(SocketException.class, peerEnding.error(), peerEnding.toString());
        assertEquals("Connection reset", peerEnding.error().getMessage());
        BlockedRead.Ending ownerEnding = owner.await(WAIT);
        assertTrue(ownerEnding.error() != null && ownerEnding.error().getMessage().contains("connection abort"),
                "the owner's read should fail with ECONNABORTED, got " + ownerEnding);

        List<TcpConnection> left = farm.table();
        assertTrue(left.stream().noneMatch(c -> p.isEitherEnd(c) && c.state() == TcpState.ESTABLISHED),
                "no end is ESTABLISHED any more: " + left);
        assertTrue(p.client().isOpen(), "the owner's channel is not closed under it; only its connection is gone");
    }

    @Test
    void droppingTheServerEndResetsTheClient() {
        Pair p = farm.established(Flavor.IPV6);
        BlockedRead client = BlockedRead.start(p.client());

        DropReport r = dropper.dropOne(p.serverArgs()[0], p.serverArgs()[1], p.serverArgs()[2], p.serverArgs()[3]);

        assertEquals(List.of(p.serverTuple() + ": dropped"), messages(r));
        assertEquals("Connection reset", client.await(WAIT).error().getMessage());
        assertTrue(farm.table().stream().noneMatch(p::isEitherEnd), "both ends are gone: " + farm.table());
    }

    @Test
    void anIpv4AddressAlsoNamesTheMappedIpv6Socket() {
        Pair mapped = farm.established(Flavor.V4_MAPPED);

        DropReport r = dropper.dropOne("127.0.0.1", Integer.toString(mapped.clientPort()), "127.0.0.1",
                Integer.toString(mapped.listenerPort()));

        // The outcome names the socket as the table shows it.
        assertEquals(List.of("::ffff:127.0.0.1 " + mapped.clientPort() + " ::ffff:127.0.0.1 " + mapped.listenerPort() + ": dropped"),
                messages(r));
        assertTrue(farm.table().stream().noneMatch(c -> mapped.isClientEnd(c) && c.state() == TcpState.ESTABLISHED));
    }

    @Test
    void aMappedAddressAlsoNamesTheIpv4Socket() {
        Pair v4 = farm.established(Flavor.IPV4);

        DropReport r = dropper.dropOne("::ffff:127.0.0.1", Integer.toString(v4.clientPort()), "[::ffff:127.0.0.1]",
                Integer.toString(v4.listenerPort()));

        assertEquals(List.of(v4.clientTuple() + ": dropped"), messages(r));
    }

    @Test
    void aHostNameIsResolvedAndEveryAddressPairTried() {
        Pair v4 = farm.established(Flavor.IPV4);
        Pair other = farm.established(Flavor.IPV4);

        // /etc/hosts maps localhost to 127.0.0.1; the listener port is given as a number, the client port too.
        DropReport r = dropper.dropOne("localhost", Integer.toString(v4.clientPort()), "localhost",
                Integer.toString(v4.listenerPort()));

        assertEquals(List.of(v4.clientTuple() + ": dropped"), messages(r));
        assertTrue(farm.table().stream().anyMatch(c -> other.isClientEnd(c) && c.state() == TcpState.ESTABLISHED),
                "a connection the name does not select stays: " + farm.table());
    }

    @Test
    void theTwoArgumentFormsNameTheSameConnection() {
        Pair a = farm.established(Flavor.IPV4);
        Pair b = farm.established(Flavor.IPV4);
        Pair c = farm.established(Flavor.IPV6);
        Pair d = farm.established(Flavor.IPV6);
        Pair e = farm.established(Flavor.V4_MAPPED);

        assertEquals(List.of(a.clientTuple() + ": dropped"),
                messages(dropper.dropSpec("127.0.0.1:" + a.clientPort() + " 127.0.0.1:" + a.listenerPort())));
        assertEquals(List.of(b.clientTuple() + ": dropped"),
                messages(dropper.dropSpec("127.0.0.1." + b.clientPort() + " 127.0.0.1." + b.listenerPort())));
        assertEquals(List.of(c.clientTuple() + ": dropped"),
                messages(dropper.dropSpec("[::1]:" + c.clientPort() + "  [::1]:" + c.listenerPort())));
        assertEquals(List.of(d.clientTuple() + ": dropped"),
                messages(dropper.dropSpec("::1." + d.clientPort() + " ::1." + d.listenerPort())));
        assertEquals(List.of(e.clientTuple() + ": dropped"),
                messages(dropper.dropSpec(e.clientTuple())));
        assertTrue(farm.table().stream().noneMatch(r -> r.state() == TcpState.ESTABLISHED && r.owned()
                && (a.isClientEnd(r) || b.isClientEnd(r) || c.isClientEnd(r) || d.isClientEnd(r) || e.isClientEnd(r))));
    }

    @Test
    void droppingBothEndsLeavesNothingAndCountsTheVanishedPeerAsNoFailure() {
        Pair p = farm.established(Flavor.IPV4);
        Pair q = farm.established(Flavor.IPV6);

        DropReport r = dropper.dropMatching(new org.tcpjmx.filter.Filter.And(
                TcpDropper.stateFilter(TcpState.ESTABLISHED), farm.filter()), false);

        // Dropping one end resets the other, which is then no longer there to drop.
        assertEquals(0, r.failed(), r.errors().toString());
        assertTrue(r.dropped() >= 2 && r.dropped() <= 4, "one or both ends of each pair: " + r);
        assertEquals(r.dropped(), r.matched());
        farm.awaitTable(rows -> rows.stream().noneMatch(c -> p.isEitherEnd(c) || q.isEitherEnd(c)), "both pairs gone");
    }

    @Test
    void dropAllSparesListeners() {
        Pair p = farm.established(Flavor.IPV4);
        Pair q = farm.closeWait(Flavor.IPV6);
        // The real table narrowed to this test's sockets: -a must not reach other processes' connections.
        TcpDropper all = new TcpDropper(farm.confined());

        DropReport r = all.dropAll(false);

        assertEquals(0, r.failed(), r.errors().toString());
        assertTrue(r.dropped() >= 2 && r.outcomes().stream().allMatch(o -> o.status() == DropStatus.DROPPED), r.toString());
        assertTrue(farm.table().isEmpty(), "no connection is left: " + farm.table());
        for (Pair x : List.of(p, q)) {
            String address = x.flavor().rawAddress().length == 16 ? "[" + x.flavor().tableAddress() + "]" : x.flavor().tableAddress();
            List<TcpConnection> listeners = platform.connections(
                    org.tcpjmx.filter.FilterParser.parse("state listening src " + address + ":" + x.listenerPort()), false);
            assertEquals(1, listeners.size(), "tcpdrop -a never drops listeners");
        }
    }

    static List<String> messages(DropReport r) {
        return r.outcomes().stream().map(DropOutcome::message).toList();
    }
}
