package org.tcpjmx.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpjmx.drop.TcpDropper;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/** A test gets its own farm, shared with its @BeforeEach and its dropper, and closed when the test ends. */
@ExtendWith(LoopbackFarmExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoopbackFarmExtensionTest {
    private static LoopbackConnections previous;
    private static int previousListener;
    private LoopbackConnections beforeEach;

    @BeforeEach
    void open(LoopbackConnections farm) {
        beforeEach = farm;
    }

    @Test
    @Order(1)
    void aTestSharesItsFarmWithItsBeforeEachAndItsDropperSeesOnlyThatFarm(LoopbackConnections farm, TcpDropper dropper) {
        assertSame(beforeEach, farm);
        Pair p = farm.established(Flavor.IPV4);
        assertEquals(2, farm.table().size(), farm.table().toString());
        assertEquals(2, dropper.dropAll(true).matched(), "list mode over the farm's two ends only");
        previous = farm;
        previousListener = p.listenerPort();
    }

    @Test
    @Order(2)
    void theNextTestGetsANewFarmAndThePreviousOneIsClosed(LoopbackConnections farm, TcpPlatform platform) {
        assertNotSame(previous, farm);
        assertTrue(previousListener > 0, "the first test ran");
        // Another process may listen on that port by now; this JVM must not.
        List<TcpConnection> ours = platform.connections(FilterParser.parse("state listening and src 127.0.0.1:" + previousListener), false)
                .stream().filter(TcpConnection::owned).toList();
        assertEquals(List.of(), ours, "the previous test's listener is closed");
    }
}
