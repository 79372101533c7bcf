package org.tcpjmx.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.linux.Errno;
import org.tcpjmx.linux.LinuxTcpPlatform;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.DestroyResult;
import org.tcpjmx.model.PlatformCapabilities;
import org.tcpjmx.model.SocketOwner;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.model.Tunable;
import org.tcpjmx.model.TunableValue;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.BlockedRead;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackFarmExtension;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * "The drop says honestly what a kernel or backend could not do". The /proc backend is real here;
 * the kernels that answer differently (no {@code CONFIG_INET_DIAG_DESTROY}, Linux before 6.0 with
 * TIME_WAIT, a kernel that acknowledges and leaves the socket alive) are not, so for those the real
 * platform is used with only its destroy answer replaced by what such a kernel answers.
 */
@ExtendWith(LoopbackFarmExtension.class)
class DroppingOnOtherKernelsAndBackendsTest {
    private LoopbackConnections farm;

    @BeforeEach
    void openFarm(LoopbackConnections farm) {
        this.farm = farm;
    }

    @Test
    void theProcfsBackendResetsOwnSocketsAndCannotDestroyOthers() {
        TcpPlatform procfs = TcpPlatforms.open("procfs");
        LoopbackConnections procFarm = new LoopbackConnections(procfs);
        try (procFarm) {
            Pair own = procFarm.established(Flavor.IPV4);
            Pair tw = procFarm.timeWait(Flavor.IPV6);
            BlockedRead peer = BlockedRead.start(own.server());
            TcpDropper dropper = new TcpDropper(procFarm.confined());

            DropReport r = dropper.dropOne(own.clientArgs()[0], own.clientArgs()[1], own.clientArgs()[2], own.clientArgs()[3]);
            assertEquals(List.of(own.clientTuple() + ": dropped"), DroppingAnEstablishedConnectionTest.messages(r));
            assertEquals("error: java.net.SocketException: Connection reset", peer.await(java.time.Duration.ofSeconds(10)).toString());

            DropReport t = dropper.dropOne(tw.clientArgs()[0], tw.clientArgs()[1], tw.clientArgs()[2], tw.clientArgs()[3]);
            assertEquals(DropStatus.UNSUPPORTED, t.outcomes().get(0).status());
            assertEquals(tw.clientTuple() + ": Operation not supported (the procfs backend has no socket cookie, "
                    + "so only this JVM's own sockets can be dropped)", t.outcomes().get(0).message());
            assertTrue(procFarm.table().stream().anyMatch(c -> tw.isClientEnd(c) && c.state() == TcpState.TIME_WAIT),
                    "the TIME_WAIT entry is still there");
        }
    }

    @Test
    void aKernelWithoutDestroyStillLetsThisJvmResetItsOwnSockets() {
        Pair own = farm.established(Flavor.IPV6);
        Pair tw = farm.timeWait(Flavor.IPV4);
        TcpDropper dropper = new TcpDropper(answering(c -> Errno.EOPNOTSUPP));

        DropReport r = dropper.dropOne(own.serverArgs()[0], own.serverArgs()[1], own.serverArgs()[2], own.serverArgs()[3]);
        assertEquals(List.of(own.serverTuple() + ": dropped"), DroppingAnEstablishedConnectionTest.messages(r));

        DropReport t = dropper.dropOne(tw.clientArgs()[0], tw.clientArgs()[1], tw.clientArgs()[2], tw.clientArgs()[3]);
        assertEquals(List.of(tw.clientTuple() + ": Operation not supported (kernel without CONFIG_INET_DIAG_DESTROY)"), t.errors());
        assertEquals(DropStatus.UNSUPPORTED, t.outcomes().get(0).status());
    }

    @Test
    void aKernelBefore6CannotDestroyTimeWait() {
        Pair tw = farm.timeWait(Flavor.V4_MAPPED);
        TcpDropper dropper = new TcpDropper(answering(c -> c.state() == TcpState.TIME_WAIT ? Errno.EINVAL : 0));

        CommandRun r = CommandRun.run(dropper, tw.clientArgs());

        assertEquals(new CommandRun(1, "", "tcpdrop: " + tw.clientTuple()
                + ": this kernel cannot destroy TIME_WAIT sockets (Linux < 6.0)\n"), r);
    }

    @Test
    void aKernelThatAcknowledgesAndLeavesTheSocketAliveIsReportedAsAFailure() {
        Pair p = farm.established(Flavor.IPV4);
        TcpDropper dropper = new TcpDropper(answering(c -> 0));

        DropReport r = dropper.dropOne(p.clientArgs()[0], p.clientArgs()[1], p.clientArgs()[2], p.clientArgs()[3]);

        assertEquals(DropStatus.FAILED, r.outcomes().get(0).status());
        assertEquals(List.of(p.clientTuple() + ": the kernel acknowledged the drop (SOCK_DESTROY) but the socket is still ESTABLISHED"),
                r.errors());
        assertEquals(2, farm.table().stream().filter(c -> p.isEitherEnd(c) && c.state() == TcpState.ESTABLISHED).count());

        // A bulk drop checks all its destroys with one dump at the end: both ends are still there.
        DropReport bulk = dropper.dropMatching(farm.filter(), false);
        assertEquals(0, bulk.dropped(), bulk.toString());
        assertEquals(bulk.matched(), bulk.failed());
        assertTrue(bulk.matched() >= 2, bulk.toString());
        assertTrue(bulk.errors().contains(p.clientTuple() + ": the kernel acknowledged the drop (SOCK_DESTROY or reset) but the socket is still ESTABLISHED"),
                bulk.errors().toString());
    }

    @Test
    void anotherProcessesSocketWithoutPrivilegeIsDenied() {
        // The TIME_WAIT entry has no file, so this JVM cannot reset it itself.
        Pair tw = farm.timeWait(Flavor.IPV4);
        TcpDropper dropper = new TcpDropper(answering(c -> Errno.EPERM));

        DropReport r = dropper.dropOne(tw.clientArgs()[0], tw.clientArgs()[1], tw.clientArgs()[2], tw.clientArgs()[3]);

        assertEquals(DropStatus.PERMISSION_DENIED, r.outcomes().get(0).status());
        assertEquals(List.of(tw.clientTuple() + ": Operation not permitted (needs CAP_NET_ADMIN in the socket's network namespace)"),
                r.errors());
    }

    /** The farm's real, confined platform, with SOCK_DESTROY answered as {@code kernel} says and not sent. */
    private TcpPlatform answering(ToIntFunction<TcpConnection> kernel) {
        TcpPlatform real = farm.confined();
        return new TcpPlatform() {
            @Override
            public Backend backend() {
                return real.backend();
            }

            @Override
            public String backendDetail() {
                return real.backendDetail();
            }

            @Override
            public void forEach(Filter filter, boolean withInfo, Consumer<TcpConnection> sink) {
                real.forEach(filter, withInfo, sink);
            }

            @Override
            public StateHistogram histogram(Filter filter) {
                return real.histogram(filter);
            }

            @Override
            public Optional<TcpConnection> lookup(TcpConnection connection) {
                return real.lookup(connection);
            }

            @Override
            public DestroyResult destroy(TcpConnection connection) {
                return LinuxTcpPlatform.destroyResult(kernel.applyAsInt(connection));
            }

            @Override
            public DestroyResult disconnectOwned(TcpConnection connection) {
                return real.disconnectOwned(connection);
            }

            @Override
            public Map<Long, SocketOwner> socketOwners() {
                return real.socketOwners();
            }

            @Override
            public Map<String, Long> tcpCounters() {
                return real.tcpCounters();
            }

            @Override
            public List<Tunable> tunables() {
                return real.tunables();
            }

            @Override
            public Optional<TunableValue> read(Tunable tunable) {
                return real.read(tunable);
            }

            @Override
            public PlatformCapabilities capabilities() {
                return real.capabilities();
            }
        };
    }
}
