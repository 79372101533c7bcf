package org.tcpjmx.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.DestroyResult;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * Lookups and destroys share one netlink socket between requests: many of them hold at most one
 * extra descriptor, and every answer, including an error, still belongs to its own request.
 */
class SockDiagReaderReuseTest {

    @Test
    void manyLookupsAndDestroysKeepOneSocketAndEachGetsItsOwnAnswer() throws Exception {
        TcpPlatform netlink = TcpPlatforms.open("netlink");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
             Socket server = listener.accept()) {
            int port = listener.getLocalPort();
            // Each end by its full 4-tuple: another process's socket may have either port on another address.
            String serverEnd = "127.0.0.1:" + port;
            String clientEnd = "127.0.0.1:" + client.getLocalPort();
            TcpConnection accepted = only(netlink.connections(FilterParser.parse("state established and src " + serverEnd + " and dst " + clientEnd), false));
            TcpConnection connecting = only(netlink.connections(FilterParser.parse("state established and src " + clientEnd + " and dst " + serverEnd), false));
            int before = openDescriptors();
            for (int i = 0; i < 200; i++) {
                TcpConnection a = netlink.lookup(accepted).orElseThrow();
                TcpConnection c = netlink.lookup(connecting).orElseThrow();
                assertEquals(accepted.cookie(), a.cookie());
                assertEquals(accepted.remote(), a.remote());
                assertEquals(connecting.cookie(), c.cookie());
                assertEquals(client.getLocalPort(), c.local().port());
            }
            // A socket leaked per request would show as 400 more; other threads of the JVM may hold a few meanwhile.
            int after = openDescriptors();
            assertTrue(after < before + 10, "400 lookups left " + (after - before) + " more descriptors open");

            DestroyResult rc = netlink.destroy(accepted);
            assumeTrue(rc.kind() != DestroyResult.Kind.NOT_PERMITTED && rc.kind() != DestroyResult.Kind.UNSUPPORTED_BY_KERNEL,
                    "SOCK_DESTROY unavailable here: " + rc.detail());
            assertEquals(DestroyResult.DESTROYED, rc);
            assertFalse(netlink.lookup(accepted).isPresent(), "destroyed socket still found");
            // The kernel's ENOENT answer is read whole; the next request on the kept socket gets its own answer.
            assertEquals(DestroyResult.Kind.GONE, netlink.destroy(accepted).kind());
            assertFalse(netlink.lookup(accepted).isPresent());
            assertTrue(openDescriptors() < before + 10);
            // The peer got the reset: gone from the table, or at least no longer ESTABLISHED.
            netlink.lookup(connecting).ifPresent(peer -> assertNotEquals(TcpState.ESTABLISHED, peer.state(), "peer " + peer));
        }
    }

    private static TcpConnection only(List<TcpConnection> rows) {
        assertEquals(1, rows.size(), "rows: " + rows);
        return rows.get(0);
    }

    private static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }
}
