package org.tcpjmx.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;
import org.tcpjmx.testing.UnprivilegedJvm;

/**
 * "An application embeds the library in a JVM without CAP_NET_ADMIN": it can still cut its own
 * connections (through its own descriptor, without privilege), another process's connection is
 * refused with "permission denied", and nothing else happens.
 */
class DroppingWithoutCapNetAdminTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void ownSocketsAreResetAndOthersAreRefused() throws IOException {
        Optional<String> unavailable = UnprivilegedJvm.unavailableReason();
        if (unavailable.isPresent()) {
            System.out.println("skipping: " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), () -> "no unprivileged child JVM here: " + unavailable.orElse(""));

        TcpPlatform platform = TcpPlatforms.open("netlink");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (LoopbackConnections farm = new LoopbackConnections(platform);
             ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            Pair bystander = farm.established(Flavor.IPV4);
            listener.bind(new InetSocketAddress(loopback, 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();

            try (UnprivilegedJvm child = UnprivilegedJvm.start(UnprivilegedDropperMain.class,
                    List.of(TcpDropper.class, com.sun.jna.Native.class, org.slf4j.LoggerFactory.class,
                            org.slf4j.jul.JULServiceProvider.class), Integer.toString(port))) {
                Map<String, String> said = new HashMap<>();
                readUntil(child, "TO_PARENT", said);
                assertEquals("0000000000000000", said.get("CapEff"), "the child has no capabilities at all");
                assertTrue(said.get("Uid").startsWith("65534 "), "the child runs as nobody: " + said.get("Uid"));
                int childPort = Integer.parseInt(said.get("TO_PARENT"));
                String parentEnd = "127.0.0.1 " + port + " 127.0.0.1 " + childPort;
                TcpConnection before = row(platform, port, childPort);
                assertEquals(TcpState.ESTABLISHED, before.state());
                List<String> bystanderBefore = farm.snapshot();

                child.writeLine("drop");
                readUntil(child, "WAITING", said);

                assertTrue(said.get("OWN").startsWith("DROPPED 127.0.0.1 ") && said.get("OWN").endsWith(": dropped"),
                        "its own connection is reset through its descriptor: " + said);
                assertEquals("PERMISSION_DENIED " + parentEnd
                        + ": Operation not permitted (needs CAP_NET_ADMIN in the socket's network namespace)", said.get("OTHER"));
                assertEquals("error: java.net.SocketException: Connection reset", said.get("PEER_READ"),
                        "the peer of the reset connection sees the reset");
                // tcp_disconnect() sets ECONNRESET on the reset socket itself (SOCK_DESTROY would set ECONNABORTED).
                assertEquals("error: java.net.SocketException: Connection reset", said.get("OWNER_READ"),
                        "the owner's read reports the reset");
                assertEquals("true", said.get("OWN_CHANNEL_OPEN"), "the descriptor stays open under the application");

                // Nothing else happened: the refused connection is the same socket, still usable.
                TcpConnection after = row(platform, port, childPort);
                assertEquals(TcpState.ESTABLISHED, after.state());
                assertEquals(before.cookie(), after.cookie(), "the same socket, not a new one");
                assertEquals(bystanderBefore, farm.snapshot(), "the test's other connections are untouched");
                try (SocketChannel accepted = listener.accept()) {
                    accepted.write(ByteBuffer.wrap(new byte[] {42}));
                    readUntil(child, "FROM_PARENT", said);
                }
                assertEquals("42", said.get("FROM_PARENT"), "the connection the child could not drop still carries data");
                assertEquals(0, child.waitFor(WAIT), child.stderr());
                assertTrue(bystander.client().isOpen());
            }
        }
    }

    private static TcpConnection row(TcpPlatform platform, int listenerPort, int clientPort) {
        byte[] lo = {127, 0, 0, 1};
        List<TcpConnection> rows = platform.connections(new Filter.And(
                new Filter.Host(Filter.Side.SOURCE, lo, 32, listenerPort),
                new Filter.Host(Filter.Side.DESTINATION, lo, 32, clientPort)), false);
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    private static void readUntil(UnprivilegedJvm child, String key, Map<String, String> said) {
        while (true) {
            String line = child.readLine(WAIT);
            int space = line.indexOf(' ');
            String k = space < 0 ? line : line.substring(0, space);
            said.put(k, space < 0 ? "" : line.substring(space + 1));
            if (k.equals(key)) {
                return;
            }
        }
    }
}
