package org.tcpjmx.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * A farm selects its sockets by its listeners' address and port, so a listener's port must not be
 * one that an earlier connection still names: a client's TIME_WAIT to a listener that is gone holds
 * the client's own port, so the kernel gives the listener's port out again, and the stale row would
 * count as the new farm's (TcpdropListRoundTripTest once listed three of them).
 */
@ExtendWith(LoopbackFarmExtension.class)
class FarmListenerPortTest {
    @Test
    void aPortThatOnlyAGoneListenersTimeWaitNamesCountsAsNamedAndTheFarmsListenerPortIsNamedOnlyByItsOwn(
            LoopbackConnections farm, TcpPlatform platform) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        int port;
        int clientPort;
        try (ServerSocketChannel l = ServerSocketChannel.open()) {
            l.bind(new InetSocketAddress(lo, 0));
            port = ((InetSocketAddress) l.getLocalAddress()).getPort();
            SocketChannel client = SocketChannel.open(l.getLocalAddress());
            clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
            SocketChannel server = l.accept();
            client.close(); // the active close: the client's end goes to TIME_WAIT
            server.close();
        }
        String tuple = "src 127.0.0.1:" + clientPort + " and dst 127.0.0.1:" + port;
        long deadline = System.nanoTime() + LoopbackConnections.AWAIT.toNanos();
        List<TcpConnection> rows = platform.connections(FilterParser.parse(tuple), false);
        while (rows.stream().noneMatch(c -> c.state() == TcpState.TIME_WAIT) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            rows = platform.connections(FilterParser.parse(tuple), false);
        }
        assertTrue(rows.stream().anyMatch(c -> c.state() == TcpState.TIME_WAIT), "the client's TIME_WAIT: " + rows);

        assertTrue(farm.portNamed(Flavor.IPV4, port), "the gone listener's port is still named by the TIME_WAIT's remote end");

        Pair p = farm.established(Flavor.IPV4);
        assertEquals(2, farm.table().size(), "the farm's listener port names the farm's two ends and nothing else: " + farm.table());
        assertTrue(farm.table().stream().allMatch(c -> c.local().port() == p.clientPort() || c.remote().port() == p.clientPort()));
    }
}
