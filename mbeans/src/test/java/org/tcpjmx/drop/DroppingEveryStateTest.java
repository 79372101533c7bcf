package org.tcpjmx.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackFarmExtension;
import org.tcpjmx.testing.LoopbackConnections.Flavor;

/**
 * "{@code tcpdrop -s STATE} drops connections in every state loopback can hold": this kernel
 * destroys each of them (SYN_RCVD and CLOSING are too brief on loopback to be caught).
 */
@ExtendWith(LoopbackFarmExtension.class)
class DroppingEveryStateTest {
    private static TcpPlatform platform;
    private LoopbackConnections farm;

    @BeforeAll
    static void openPlatform(TcpPlatform netlink) {
        platform = netlink;
    }

    @BeforeEach
    void openFarm(LoopbackConnections farm) {
        this.farm = farm;
    }

    @ParameterizedTest
    @EnumSource(value = TcpState.class, names = {"SYN_SENT", "ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT_1", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT"})
    void eachStateIsDroppedByTcpdropDashS(TcpState state) {
        switch (state) {
            case SYN_SENT -> farm.synSent(Flavor.IPV4);
            case ESTABLISHED -> farm.established(Flavor.IPV6);
            case CLOSE_WAIT, FIN_WAIT_2 -> farm.closeWait(Flavor.V4_MAPPED);
            case FIN_WAIT_1 -> farm.finWait1(Flavor.IPV4);
            case LAST_ACK -> farm.lastAck(Flavor.IPV6);
            case TIME_WAIT -> farm.timeWait(Flavor.IPV4);
            default -> throw new IllegalArgumentException(state.name());
        }
        List<TcpConnection> before = farm.table();
        long inState = before.stream().filter(c -> c.state() == state).count();
        assertTrue(inState >= 1, "the farm holds a " + state + " connection: " + before);
        long others = before.stream().filter(c -> c.state() != state).count();

        CommandRun r = CommandRun.run(new TcpDropper(farm.confined()), "-s", state.name());

        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.err());
        // Both ends of an ESTABLISHED connection are selected; dropping one resets the other.
        assertTrue(r.sortedOutLines().size() >= 1 && r.sortedOutLines().size() <= inState, r.toString());
        assertTrue(r.sortedOutLines().stream().allMatch(l -> l.endsWith(": dropped")), r.toString());
        List<TcpConnection> after = farm.table();
        assertTrue(after.stream().noneMatch(c -> c.state() == state), "no " + state + " left: " + after);
        assertTrue(after.size() <= others, "other states are not added to: " + after);
    }
}
