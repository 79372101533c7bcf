package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * The table holds real loopback sockets in every state loopback can make, with the right details.
 * Java opens dual-stack IPv6 sockets by default; the farm opens AF_INET ones through channels.
 */
class TcpTableStatesTest {
    private static final TcpPlatform netlink = TcpPlatforms.open("netlink");
    private static final TcpPlatform procfs = TcpPlatforms.open("procfs");

    @Test
    void ipv4SocketsAppearInEveryStateWithTheirAddressesPortsAndOwner() throws Exception {
        checkAllStates(Flavor.IPV4, IpFamily.INET4);
    }

    @Test
    void ipv6SocketsAppearInEveryState() throws Exception {
        checkAllStates(Flavor.IPV6, IpFamily.INET6);
    }

    @Test
    void ipv4MappedConnectionsToADualStackListenerAreShownAsMapped() throws Exception {
        try (ServerSocket dual = new ServerSocket(0, 50, InetAddress.getByName("::"));
             Socket c = new Socket("127.0.0.1", dual.getLocalPort());
             Socket s = dual.accept()) {
            int port = dual.getLocalPort();
            // The listener, the connection it accepted and its client, by address and port (IPv4 ones match the mapped sockets).
            String mine = "src [::]:" + port + " or src 127.0.0.1:" + port + " or dst 127.0.0.1:" + port;
            List<TcpConnection> rows = netlink.connections(FilterParser.parse(mine), false);
            TcpConnection listen = find(rows, TcpState.LISTEN, port, 0);
            assertEquals("::", listen.local().addressText());
            TcpConnection server = find(rows, TcpState.ESTABLISHED, port, c.getLocalPort());
            assertEquals(IpFamily.INET6, server.family());
            assertEquals("::ffff:127.0.0.1", server.local().addressText());
            assertEquals("::ffff:127.0.0.1", server.remote().addressText());
            assertTrue(server.owned());
            // An IPv4 filter matches the mapped socket, in the kernel and in Java alike.
            assertEquals(2, netlink.connections(FilterParser.parse("src 127.0.0.1 and (" + mine + ")"), false).size());
            assertEquals(sameTuples(rows), sameTuples(procfs.connections(FilterParser.parse(mine), false)));
        }
    }

    static void checkAllStates(Flavor flavor, IpFamily family) throws Exception {
        String text = flavor.tableAddress();
        try (LoopbackConnections farm = new LoopbackConnections(netlink)) {
            int port = farm.listenerPort(flavor);
            Pair est = farm.established(flavor);
            Pair closeWait = farm.closeWait(flavor);
            Pair timeWait = farm.timeWait(flavor);
            Pair lastAck = farm.lastAck(flavor);
            Pair finWait1 = farm.finWait1(flavor);
            SocketChannel synSent = farm.synSent(flavor);
            int fullPort = ((InetSocketAddress) synSent.getRemoteAddress()).getPort();

            // This farm's sockets, by its listeners' addresses and ports (ss reads the same filter).
            String host = family == IpFamily.INET6 ? "[" + text + "]" : text;
            String filter = "src " + host + ":" + port + " or dst " + host + ":" + port + " or dst " + host + ":" + fullPort;
            List<TcpConnection> rows = netlink.connections(FilterParser.parse(filter), true);

            TcpConnection listen = find(rows, TcpState.LISTEN, port, 0);
            assertEquals(text, listen.local().addressText());
            assertTrue(listen.owned(), "this JVM owns its listener");
            assertEquals(family, listen.family());

            TcpConnection client = find(rows, TcpState.ESTABLISHED, est.clientPort(), port);
            TcpConnection server = find(rows, TcpState.ESTABLISHED, port, est.clientPort());
            assertEquals(text, client.remote().addressText());
            assertTrue(client.owned() && server.owned());
            assertTrue(client.hasCookie() && client.inode() > 0);
            assertTrue(client.info().isPresent(), "tcp_info was requested");
            assertTrue(client.info().get().rttMicros() > 0);
            assertFalse(client.stack().isEmpty(), "congestion control is reported");

            TcpConnection cw = find(rows, TcpState.CLOSE_WAIT, port, closeWait.clientPort());
            assertTrue(cw.owned());
            TcpConnection fw2 = find(rows, TcpState.FIN_WAIT_2, closeWait.clientPort(), port);
            assertTrue(fw2.owned(), "the half-closed client is still this JVM's socket");

            TcpConnection tw = find(rows, TcpState.TIME_WAIT, timeWait.clientPort(), port);
            assertEquals(0, tw.inode());
            assertFalse(tw.owned(), "a TIME_WAIT entry has no file, so no owner");
            assertEquals("", tw.stack(), "TIME_WAIT sockets have no congestion control");

            find(rows, TcpState.LAST_ACK, port, lastAck.clientPort());
            find(rows, TcpState.FIN_WAIT_1, finWait1.clientPort(), port);
            TcpConnection syn = rows.stream().filter(c -> c.state() == TcpState.SYN_SENT && c.remote().port() == fullPort)
                    .findFirst().orElseThrow(() -> new AssertionError("no SYN_SENT row to " + fullPort + " in " + rows));
            assertTrue(syn.owned());

            // The same sockets, seen by ss and by the /proc reader.
            assertEquals(sameTuples(rows), ssTuples(filter), "ss -tan sees the same 4-tuples and states");
            List<TcpConnection> proc = procfs.connections(FilterParser.parse(filter), false);
            assertEquals(sameTuples(rows), sameTuples(proc), "the /proc reader gives the same table");
            assertTrue(proc.stream().allMatch(r -> r.backend() == Backend.PROCFS && !r.hasCookie() && r.info().isEmpty()));
            assertEquals(inodes(rows), inodes(proc));
        }
    }

    static TcpConnection find(List<TcpConnection> rows, TcpState state, int localPort, int remotePort) {
        Optional<TcpConnection> r = rows.stream()
                .filter(c -> c.state() == state && c.local().port() == localPort && c.remote().port() == remotePort)
                .findFirst();
        assertTrue(r.isPresent(), "no " + state + " row " + localPort + " -> " + remotePort + " in " + rows);
        return r.get();
    }

    static Set<String> sameTuples(List<TcpConnection> rows) {
        return rows.stream().map(c -> c.state() + " " + c.local() + " " + c.remote()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> inodes(List<TcpConnection> rows) {
        return rows.stream().map(c -> c.local() + " " + c.remote() + " inode=" + c.inode() + " uid=" + c.uid())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String ssEndpoint(String e) {
        String s = e.replaceAll(":\\*$", ":0");
        return s.startsWith("*:") ? "[::]" + s.substring(1) : s;
    }

    /** Runs {@code ss -tanH [state all] FILTER...} (one argument per word) and reads state and 4-tuple of each line. */
    static Set<String> ssTuples(String filter) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ss", "-tanH"));
        if (!filter.startsWith("state ") && !filter.startsWith("exclude ")) {
            command.addAll(List.of("state", "all"));
        }
        command.addAll(List.of(filter.split("\\s+")));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Set<String> tuples = new TreeSet<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length == 4) {
                // ss drops the State column when the filter selects a single state.
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^state (\\S+)").matcher(filter);
                assertTrue(m.find(), "no state column and no single state in: " + filter);
                f = new String[] {m.group(1), f[0], f[1], f[2], f[3]};
            }
            // ss shows a port of 0 as '*', and a dual-stack "::" wildcard as '*' too.
            tuples.add(TcpState.parse(f[0]) + " " + ssEndpoint(f[3]) + " " + ssEndpoint(f[4]));
        }
        return tuples;
    }
}
