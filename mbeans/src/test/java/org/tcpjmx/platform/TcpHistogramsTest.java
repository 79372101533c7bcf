package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpHistograms.AddressCount;
import org.tcpjmx.platform.TcpHistograms.PortCount;

/** A dual-stack listener with three clients over 127.0.0.1 and one over ::1, counted by port and by peer. */
class TcpHistogramsTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final TcpHistograms histograms = new TcpHistograms(TcpPlatforms.open());
    private int port;
    private final List<Integer> clientPorts = new ArrayList<>();

    @BeforeEach
    void connect() throws Exception {
        ServerSocket listener = track(new ServerSocket());
        listener.bind(new InetSocketAddress(0), 10); // the wildcard: dual-stack, v4 peers appear as ::ffff:a.b.c.d
        port = listener.getLocalPort();
        for (String peer : new String[] {"127.0.0.1", "127.0.0.1", "127.0.0.1", "::1"}) {
            Socket c = track(new Socket(InetAddress.getByName(peer), port));
            clientPorts.add(c.getLocalPort());
            track(listener.accept());
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** This test's sockets, by the listener's address and port on either side (no other socket can have them). */
    private String mine() {
        return "src [::]:" + port + " or src 127.0.0.1:" + port + " or src [::1]:" + port
                + " or dst 127.0.0.1:" + port + " or dst [::1]:" + port;
    }

    @Test
    void perLocalPortCountsTheListenerAndEachSideOfEveryConnection() {
        // Ephemeral client ports are shared with other destinations' sockets; our listener's address and
        // port are ours alone: its own row, the connections it accepted, and the clients connected to it.
        List<PortCount> rows = histograms.byLocalPort(FilterParser.parse(mine()));
        List<PortCount> expected = new ArrayList<>();
        List<Integer> ports = new ArrayList<>(clientPorts);
        ports.add(port);
        ports.sort(null);
        for (int p : ports) {
            if (p == port) {
                expected.add(new PortCount(port, TcpState.LISTEN, 1));
                expected.add(new PortCount(port, TcpState.ESTABLISHED, 4));
            } else {
                expected.add(new PortCount(p, TcpState.ESTABLISHED, 1));
            }
        }
        assertEquals(expected, rows);
    }

    @Test
    void perRemoteAddressRanksPeersLeavesOutListenersAndKeepsTheTopN() {
        var filter = FilterParser.parse("src 127.0.0.1:" + port + " or src [::1]:" + port);
        assertEquals(List.of(new AddressCount("::ffff:127.0.0.1", TcpState.ESTABLISHED, 3),
                new AddressCount("::1", TcpState.ESTABLISHED, 1)), histograms.byRemoteAddress(filter, 0));
        assertEquals(List.of(new AddressCount("::ffff:127.0.0.1", TcpState.ESTABLISHED, 3)),
                histograms.byRemoteAddress(filter, 1));
    }

    @Test
    void ownSocketsIncludeTheseAndOnlyOwnedOnes() {
        StateHistogram own = histograms.own();
        assertTrue(own.count(TcpState.ESTABLISHED) >= 8, own.toString());
        assertTrue(own.count(TcpState.LISTEN) >= 1, own.toString());
        // This JVM's sockets do not change during the test, so a full table taken now agrees.
        long ownedRows = TcpPlatforms.open().connections(FilterParser.parse(""), false).stream()
                .filter(c -> c.owned()).count();
        assertEquals(ownedRows, own.total());
    }
}
