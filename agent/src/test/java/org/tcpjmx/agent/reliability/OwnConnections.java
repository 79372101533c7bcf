package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * Connections this test JVM opens on loopback, to itself: the only ones a test may see dropped.
 * {@link #snapshot()} reads their rows from the kernel (netlink, in this JVM) so a test can assert
 * that nothing it sent changed them; {@link #assertAlive()} proves each still carries data both ways.
 */
final class OwnConnections implements AutoCloseable {
    private final TcpPlatform platform = TcpPlatforms.open("netlink");
    private final ServerSocket listener;
    private final List<Socket> clients = new ArrayList<>();
    private final List<Socket> served = new ArrayList<>();

    private OwnConnections(ServerSocket listener) {
        this.listener = listener;
    }

    /** A listener on 127.0.0.1 and {@code pairs} established connections to it. */
    static OwnConnections open(int pairs) {
        try {
            OwnConnections c = new OwnConnections(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
            for (int i = 0; i < pairs; i++) {
                c.clients.add(new Socket(InetAddress.getByName("127.0.0.1"), c.listenerPort()));
                c.served.add(c.listener.accept());
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int listenerPort() {
        return listener.getLocalPort();
    }

    /** The ss filter selecting exactly these sockets: the listener and both ends of every pair. */
    String filter() {
        return "src 127.0.0.1:" + listenerPort() + " or dst 127.0.0.1:" + listenerPort();
    }

    /** Client side of pair {@code i}: its local port. */
    int clientPort(int i) {
        return clients.get(i).getLocalPort();
    }

    /** The kernel's rows of these sockets, one line each ("STATE local port remote port"), sorted. */
    List<String> snapshot() {
        List<String> rows = new ArrayList<>();
        for (TcpConnection c : platform.connections(FilterParser.parse(filter()), false)) {
            rows.add(c.state() + " " + c.local().addressText() + " " + c.local().port() + " " + c.remote().addressText() + " "
                    + c.remote().port());
        }
        rows.sort(null);
        return rows;
    }

    /** Each pair carries a byte both ways, so none was reset. */
    void assertAlive() {
        try {
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).setSoTimeout(5000);
                served.get(i).setSoTimeout(5000);
                clients.get(i).getOutputStream().write(i + 1);
                assertEquals(i + 1, served.get(i).getInputStream().read(), "pair " + i + " client to server");
                served.get(i).getOutputStream().write(i + 2);
                assertEquals(i + 2, clients.get(i).getInputStream().read(), "pair " + i + " server to client");
            }
        } catch (IOException e) {
            throw new AssertionError("one of the test's own connections is broken: " + e, e);
        }
    }

    @Override
    public void close() {
        for (Socket s : clients) {
            closeQuietly(s);
        }
        for (Socket s : served) {
            closeQuietly(s);
        }
        closeQuietly(listener);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Closing at the end of a test; nothing depends on it.
        }
    }
}
