package org.tcpjmx.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Predicate;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.linux.ProcFdScanner;
import org.tcpjmx.model.IpAddresses;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;

/**
 * A farm of real loopback TCP connections for tests: ESTABLISHED pairs, CLOSE_WAIT / FIN_WAIT_2
 * pairs, TIME_WAIT entries, FIN_WAIT_1, LAST_ACK and SYN_SENT sockets, over IPv4 ({@code AF_INET}),
 * IPv6 ({@code ::1}) and IPv4-mapped IPv6
 * ({@code AF_INET6} sockets on {@code ::ffff:127.0.0.1}, what a plain {@code java.net.Socket} to
 * 127.0.0.1 makes on a dual-stack JVM).
 *
 * <p>Each instance owns one listener per {@link Flavor} it was asked for; {@link #filter()} and
 * {@link #isMine} select exactly the connections through those listeners (both ends, TIME_WAIT
 * included), by address and port, so a test can confine table reads and bulk drops to its own
 * sockets on a machine where other processes have connections too. Closing the farm closes every
 * socket it opened; TIME_WAIT entries are left to expire (or to be dropped by the test).
 *
 * <p>All channels are blocking; reads on them are plain blocking reads. {@link #confined()} gives a
 * view of the real TCP table narrowed to the farm, for running bulk drops on a shared machine;
 * {@link #setCongestionControl} gives a socket another congestion-control module. The IPv6 and
 * IPv4-mapped flavors need a dual-stack JVM (not {@code -Djava.net.preferIPv4Stack=true}).
 */
public final class LoopbackConnections implements AutoCloseable {
    /** How long {@link #awaitTable} waits for the kernel to reach a state before failing the test. */
    public static final Duration AWAIT = Duration.ofSeconds(10);

    /** Which sockets a connection is made of. */
    public enum Flavor {
        /** AF_INET sockets on 127.0.0.1. */
        IPV4(StandardProtocolFamily.INET, "127.0.0.1", "127.0.0.1"),
        /** AF_INET6 sockets on ::1. */
        IPV6(StandardProtocolFamily.INET6, "::1", "::1"),
        /** AF_INET6 sockets on ::ffff:127.0.0.1, as ss shows a dual-stack Java socket to 127.0.0.1. */
        V4_MAPPED(StandardProtocolFamily.INET6, "::ffff:127.0.0.1", "127.0.0.1");

        private final ProtocolFamily family;
        private final String tableAddress;
        private final String connectAddress;

        Flavor(ProtocolFamily family, String tableAddress, String connectAddress) {
            this.family = family;
            this.tableAddress = tableAddress;
            this.connectAddress = connectAddress;
        }

        /** The address as the TCP table (and ss -n, and tcpdrop -l) prints it. */
        public String tableAddress() {
            return tableAddress;
        }

        /** The raw address of the table: 4 bytes for IPv4, 16 otherwise. */
        public byte[] rawAddress() {
            return IpAddresses.parseNumeric(tableAddress);
        }

        InetAddress inetAddress() {
            try {
                return InetAddress.getByName(connectAddress);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One connection: the client end (connected to the listener) and the server end (accepted).
     * The "client tuple" is the client socket's row as the table shows it; the "server tuple" the
     * accepted socket's.
     */
    public record Pair(Flavor flavor, SocketChannel client, SocketChannel server, int listenerPort, int clientPort) {
        /** {@code LADDR LPORT FADDR FPORT} of the client end. */
        public String clientTuple() {
            return flavor.tableAddress() + " " + clientPort + " " + flavor.tableAddress() + " " + listenerPort;
        }

        /** {@code LADDR LPORT FADDR FPORT} of the server end. */
        public String serverTuple() {
            return flavor.tableAddress() + " " + listenerPort + " " + flavor.tableAddress() + " " + clientPort;
        }

        /** The client end's four arguments for tcpdrop. */
        public String[] clientArgs() {
            return clientTuple().split(" ");
        }

        /** The server end's four arguments for tcpdrop. */
        public String[] serverArgs() {
            return serverTuple().split(" ");
        }

        /** The client end as a filter, by its full 4-tuple. */
        public String clientFilter() {
            return "src " + hostPort(clientPort) + " and dst " + hostPort(listenerPort);
        }

        /** The server end as a filter, by its full 4-tuple. */
        public String serverFilter() {
            return "src " + hostPort(listenerPort) + " and dst " + hostPort(clientPort);
        }

        private String hostPort(int port) {
            String a = flavor.tableAddress();
            return (flavor.rawAddress().length == 16 ? "[" + a + "]" : a) + ":" + port;
        }

        /** Whether a row is the client end (by its full 4-tuple). */
        public boolean isClientEnd(TcpConnection c) {
            return c.local().port() == clientPort && c.remote().port() == listenerPort
                    && c.local().addressText().equals(flavor.tableAddress()) && c.remote().addressText().equals(flavor.tableAddress());
        }

        /** Whether a row is the server end (by its full 4-tuple). */
        public boolean isServerEnd(TcpConnection c) {
            return c.local().port() == listenerPort && c.remote().port() == clientPort
                    && c.local().addressText().equals(flavor.tableAddress()) && c.remote().addressText().equals(flavor.tableAddress());
        }

        /** Whether a row is either end. */
        public boolean isEitherEnd(TcpConnection c) {
            return isClientEnd(c) || isServerEnd(c);
        }
    }

    private final TcpPlatform platform;
    private final Map<Flavor, ServerSocketChannel> listeners = new EnumMap<>(Flavor.class);
    /** Listeners whose accept queue is kept full (for SYN_SENT), with their flavor. */
    private final Map<ServerSocketChannel, Flavor> fullListeners = new java.util.LinkedHashMap<>();
    private final List<SocketChannel> channels = new ArrayList<>();

    /** A farm whose table queries go through {@code platform}. */
    public LoopbackConnections(TcpPlatform platform) {
        this.platform = platform;
    }

    /** The port of this farm's listener for {@code flavor}, opening it if needed. */
    public synchronized int listenerPort(Flavor flavor) {
        return ((InetSocketAddress) localAddress(listener(flavor))).getPort();
    }

    /** A new ESTABLISHED connection. */
    public synchronized Pair established(Flavor flavor) {
        ServerSocketChannel l = listener(flavor);
        int port = listenerPort(flavor);
        try {
            SocketChannel client = SocketChannel.open(flavor.family);
            channels.add(client);
            client.connect(new InetSocketAddress(flavor.inetAddress(), port));
            SocketChannel server = l.accept();
            channels.add(server);
            int clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
            return new Pair(flavor, client, server, port, clientPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A connection whose client has shut down its output while the server never closes: the server
     * end waits in CLOSE_WAIT (the leak of a server that forgets to close), the client end in
     * FIN_WAIT_2. Both sockets stay open. Returns once the table shows both states.
     */
    public synchronized Pair closeWait(Flavor flavor) {
        Pair p = established(flavor);
        try {
            p.client().shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitTable(rows -> rows.stream().anyMatch(c -> p.isServerEnd(c) && c.state() == TcpState.CLOSE_WAIT)
                && rows.stream().anyMatch(c -> p.isClientEnd(c) && c.state() == TcpState.FIN_WAIT_2),
                "CLOSE_WAIT / FIN_WAIT_2 for " + p.serverTuple());
        return p;
    }

    /**
     * A connection closed by the client first and then by the server, leaving the client's end in
     * TIME_WAIT (a socket without a file). Returns once the table shows the TIME_WAIT entry and the
     * server end is gone; the pair's channels are closed.
     */
    public synchronized Pair timeWait(Flavor flavor) {
        Pair p = established(flavor);
        try {
            p.client().close();
            ByteBuffer b = ByteBuffer.allocate(1);
            if (p.server().read(b) != -1) {
                throw new IllegalStateException("expected end of stream from a closed client");
            }
            p.server().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitTable(rows -> rows.stream().anyMatch(c -> p.isClientEnd(c) && c.state() == TcpState.TIME_WAIT)
                && rows.stream().noneMatch(p::isServerEnd), "TIME_WAIT for " + p.clientTuple());
        return p;
    }

    /**
     * A connection whose client has shut down its output while its data fills the server's receive
     * window, which the server never reads: the client's FIN waits behind the data, so its end
     * stays in FIN_WAIT_1 (zero-window probes keep it there). Both sockets stay open.
     */
    public synchronized Pair finWait1(Flavor flavor) {
        Pair p = established(flavor);
        fill(p.client());
        try {
            p.client().shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitTable(rows -> rows.stream().anyMatch(c -> p.isClientEnd(c) && c.state() == TcpState.FIN_WAIT_1),
                "FIN_WAIT_1 for " + p.clientTuple());
        return p;
    }

    /**
     * A connection the client half-closed and then never reads, while the server fills the client's
     * receive window and shuts its own output down: the server's FIN waits behind its data, so its
     * end stays in LAST_ACK. Both sockets stay open.
     */
    public synchronized Pair lastAck(Flavor flavor) {
        Pair p = closeWait(flavor);
        fill(p.server());
        try {
            p.server().shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitTable(rows -> rows.stream().anyMatch(c -> p.isServerEnd(c) && c.state() == TcpState.LAST_ACK),
                "LAST_ACK for " + p.serverTuple());
        return p;
    }

    /**
     * A client stuck in SYN_SENT: it connects (non-blocking) to a listener of backlog 1 whose accept
     * queue is full and never drained, so the kernel drops its SYNs. Returns the client channel.
     */
    public synchronized SocketChannel synSent(Flavor flavor) {
        try {
            ServerSocketChannel full = unusedListener(flavor, 1);
            fullListeners.put(full, flavor);
            InetSocketAddress target = new InetSocketAddress(flavor.inetAddress(), ((InetSocketAddress) full.getLocalAddress()).getPort());
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (System.nanoTime() < deadline) {
                SocketChannel ch = SocketChannel.open(flavor.family);
                channels.add(ch);
                ch.configureBlocking(false);
                if (ch.connect(target)) {
                    continue; // connected at once: the accept queue still had room
                }
                // Java learns the local address only once connected: find the socket by its target.
                int port = target.getPort();
                long settle = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);
                boolean synSent = false;
                while (System.nanoTime() < settle) {
                    if (ch.finishConnect()) {
                        break;
                    }
                    synSent = table().stream().anyMatch(c -> c.remote().port() == port && c.state() == TcpState.SYN_SENT);
                    if (synSent) {
                        break;
                    }
                    Thread.sleep(5);
                }
                if (synSent) {
                    return ch;
                }
            }
            throw new AssertionError("no connection stayed in SYN_SENT within " + AWAIT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Writes without blocking until the socket's send buffer and its peer's window are full. */
    private static void fill(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            int idle = 0;
            // A zero-byte write means full for now; a few in a row, with the peer given time to
            // acknowledge, means full for good (the peer never reads).
            while (idle < 20) {
                chunk.clear();
                if (ch.write(chunk) == 0) {
                    idle++;
                    Thread.sleep(2);
                } else {
                    idle = 0;
                }
            }
            ch.configureBlocking(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The connections through this farm's listeners, both ends, listeners excluded, in a stable order. */
    public Filter filter() {
        Filter f = null;
        synchronized (this) {
            Map<ServerSocketChannel, Flavor> all = new java.util.LinkedHashMap<>(fullListeners);
            listeners.forEach((flavor, l) -> all.put(l, flavor));
            for (Map.Entry<ServerSocketChannel, Flavor> e : all.entrySet()) {
                Filter mine = endsAt(e.getValue(), ((InetSocketAddress) localAddress(e.getKey())).getPort());
                f = f == null ? mine : new Filter.Or(f, mine);
            }
        }
        if (f == null) {
            // No listener yet: a filter that matches nothing.
            return new Filter.Not(Filter.ALL);
        }
        return notListening(f);
    }

    /** Whether a connection in the table (a listener aside) has an end at the flavor's address and this port. */
    boolean portNamed(Flavor f, int port) {
        return !platform.connections(notListening(endsAt(f, port)), false).isEmpty();
    }

    /** Rows with either end at the flavor's address and this port. */
    private static Filter endsAt(Flavor flavor, int port) {
        byte[] a = flavor.rawAddress();
        return new Filter.Or(new Filter.Host(Filter.Side.SOURCE, a, a.length * 8, port),
                new Filter.Host(Filter.Side.DESTINATION, a, a.length * 8, port));
    }

    private static Filter notListening(Filter f) {
        return new Filter.And(new Filter.Not(new Filter.States(java.util.EnumSet.of(TcpState.LISTEN))), f);
    }

    /** Whether a row is a connection (not a listener) through one of this farm's listeners. */
    public boolean isMine(TcpConnection c) {
        return filter().test(c);
    }

    /** A predicate for {@code TcpDropper}'s protection: everything that is not this farm's. */
    public Predicate<TcpConnection> notMine() {
        // Evaluated per row, so listeners opened after this call count as well.
        return c -> !isMine(c);
    }

    /**
     * The real TCP table, narrowed to this farm's connections: a dropper built on it can run
     * {@code -a}, {@code -s} or {@code -S} for real without ever seeing another process's socket.
     * Destroying or resetting anything else fails the test.
     */
    public TcpPlatform confined() {
        return new ConfinedPlatform();
    }

    /** This farm's connections as the kernel lists them now, sorted by local then remote port. */
    public List<TcpConnection> table() {
        List<TcpConnection> rows = new ArrayList<>(platform.connections(filter(), false));
        rows.sort(Comparator.comparing((TcpConnection c) -> c.local().toString())
                .thenComparing(c -> c.remote().toString()).thenComparing(c -> c.state().name()));
        return rows;
    }

    /**
     * This farm's table as comparable lines ({@code STATE local remote cookie}), for checking that
     * something left the table unchanged.
     */
    public List<String> snapshot() {
        List<String> out = new ArrayList<>();
        for (TcpConnection c : table()) {
            out.add(c.state() + " " + c.local() + " " + c.remote() + " " + Long.toUnsignedString(c.cookie()));
        }
        return out;
    }

    /**
     * Polls this farm's table until {@code condition} holds; fails with the table when it does not
     * within {@link #AWAIT}. The kernel finishes a close asynchronously, so tests wait for a state
     * rather than sleep.
     */
    public List<TcpConnection> awaitTable(Predicate<List<TcpConnection>> condition, String what) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        List<TcpConnection> rows = table();
        while (!condition.test(rows)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the table never showed " + what + "; it shows " + rows);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
            rows = table();
        }
        return rows;
    }

    /** The table row of one of this JVM's open channels. */
    public TcpConnection rowOf(SocketChannel channel) {
        InetSocketAddress local = (InetSocketAddress) localAddress(channel);
        InetSocketAddress remote;
        try {
            remote = (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table().stream()
                .filter(c -> c.local().port() == local.getPort() && c.remote().port() == remote.getPort() && c.owned()
                        && c.local().toInetAddress().equals(local.getAddress()) && c.remote().toInetAddress().equals(remote.getAddress()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + local + " -> " + remote + " in " + table()));
    }

    /**
     * Sets the congestion-control module of one of this JVM's connected channels
     * ({@code setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name)}), which Java cannot do itself: the
     * descriptor is found through the socket's inode in {@code /proc/self/fd}.
     */
    public void setCongestionControl(SocketChannel channel, String algorithm) {
        TcpConnection row = rowOf(channel);
        OptionalInt fd = new ProcFdScanner().selfFdOf(row.inode());
        if (fd.isEmpty()) {
            throw new AssertionError("no descriptor of this JVM holds socket inode " + row.inode());
        }
        byte[] name = (algorithm + "\0").getBytes(StandardCharsets.US_ASCII);
        try {
            SocketOptions.LIBC.setsockopt(fd.getAsInt(), SocketOptions.IPPROTO_TCP, SocketOptions.TCP_CONGESTION, name, name.length - 1);
        } catch (LastErrorException e) {
            throw new IllegalStateException("setsockopt(TCP_CONGESTION, " + algorithm + ") failed: errno " + e.getErrorCode(), e);
        }
    }

    /** Closes every socket this farm opened; TIME_WAIT entries left behind expire on their own. */
    @Override
    public synchronized void close() {
        for (SocketChannel c : channels) {
            closeQuietly(c);
        }
        for (ServerSocketChannel l : listeners.values()) {
            closeQuietly(l);
        }
        for (ServerSocketChannel l : fullListeners.keySet()) {
            closeQuietly(l);
        }
        channels.clear();
        listeners.clear();
        fullListeners.clear();
    }

    private ServerSocketChannel listener(Flavor flavor) {
        return listeners.computeIfAbsent(flavor, f -> {
            try {
                return unusedListener(f, 64);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * A listener on the flavor's address whose port no connection in the table names yet, so that
     * the farm's filter, by that address and port, selects only what the farm makes there.
     * Without SO_REUSEADDR (the JDK sets it on server channels) the kernel picks no port that an
     * earlier socket still holds, a TIME_WAIT included. But a port that only an earlier
     * connection's remote end names is free to it. A client's TIME_WAIT to a closed listener on P
     * holds the client's own port, not P, and it stays for a minute. Such a port is passed over;
     * the listeners passed over stay bound until one is found, so the kernel does not offer their
     * ports again.
     */
    private ServerSocketChannel unusedListener(Flavor f, int backlog) throws IOException {
        List<ServerSocketChannel> passedOver = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < 100; attempt++) {
                ServerSocketChannel l = ServerSocketChannel.open(f.family);
                l.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, false);
                l.bind(new InetSocketAddress(InetAddress.getByName(f.tableAddress()), 0), backlog);
                if (!portNamed(f, ((InetSocketAddress) l.getLocalAddress()).getPort())) {
                    return l;
                }
                passedOver.add(l);
            }
            throw new IllegalStateException("100 loopback ports in a row on " + f.tableAddress()
                    + " were named by other connections (" + passedOver.size() + " passed over)");
        } finally {
            passedOver.forEach(LoopbackConnections::closeQuietly);
        }
    }

    private static java.net.SocketAddress localAddress(java.nio.channels.NetworkChannel c) {
        try {
            return c.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing a test socket that is already reset: nothing to do
        }
    }

    /** {@link #confined()}: every query and-ed with this farm's filter. */
    private final class ConfinedPlatform implements TcpPlatform {
        @Override
        public org.tcpjmx.model.Backend backend() {
            return platform.backend();
        }

        @Override
        public String backendDetail() {
            return platform.backendDetail() + ", confined to a test's loopback connections";
        }

        @Override
        public void forEach(Filter filter, boolean withInfo, java.util.function.Consumer<TcpConnection> sink) {
            platform.forEach(new Filter.And(filter, LoopbackConnections.this.filter()), withInfo, sink);
        }

        @Override
        public org.tcpjmx.model.StateHistogram histogram(Filter filter) {
            return platform.histogram(new Filter.And(filter, LoopbackConnections.this.filter()));
        }

        @Override
        public java.util.Optional<TcpConnection> lookup(TcpConnection connection) {
            return platform.lookup(connection).filter(LoopbackConnections.this::isMine);
        }

        @Override
        public org.tcpjmx.model.DestroyResult destroy(TcpConnection connection) {
            requireMine(connection);
            return platform.destroy(connection);
        }

        @Override
        public org.tcpjmx.model.DestroyResult disconnectOwned(TcpConnection connection) {
            requireMine(connection);
            return platform.disconnectOwned(connection);
        }

        @Override
        public Map<Long, org.tcpjmx.model.SocketOwner> socketOwners() {
            return platform.socketOwners();
        }

        @Override
        public Map<String, Long> tcpCounters() {
            return platform.tcpCounters();
        }

        @Override
        public List<org.tcpjmx.model.Tunable> tunables() {
            return platform.tunables();
        }

        @Override
        public java.util.Optional<org.tcpjmx.model.TunableValue> read(org.tcpjmx.model.Tunable tunable) {
            return platform.read(tunable);
        }

        @Override
        public org.tcpjmx.model.PlatformCapabilities capabilities() {
            return platform.capabilities();
        }

        private void requireMine(TcpConnection c) {
            if (!isMine(c)) {
                throw new AssertionError("a test tried to cut a connection that is not its own: " + c);
            }
        }
    }

    /** The one libc call Java lacks here. */
    private static final class SocketOptions {
        /** include/uapi/linux/in.h */
        static final int IPPROTO_TCP = 6;
        /** include/uapi/linux/tcp.h */
        static final int TCP_CONGESTION = 13;
        static final CLib LIBC = Native.load("c", CLib.class);

        interface CLib extends Library {
            int setsockopt(int fd, int level, int option, byte[] value, int length) throws LastErrorException;
        }
    }
}
