package org.tcpjmx.platform;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.TcpConnection;

/**
 * Run by {@link SsDifferentialTest} inside a network namespace of its own, with two linked
 * interfaces d1 and d2: builds a scene of sockets (IPv4, IPv6, IPv4-mapped, link-local bound to
 * each interface; listening, established, close-wait, fin-wait-2, time-wait, syn-sent; ports the
 * kernel chose and ports bound explicitly), then runs each filter through {@code ss -Htna} and
 * through the platform and prints {@code AGREE}, {@code DIFF} or {@code REFUSED} lines.
 */
public final class SsDifferentialScene {
    private static final List<AutoCloseable> KEEP = new ArrayList<>();
    private static long ssNanos;
    private static long usNanos;

    private SsDifferentialScene() {
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        build();
        TcpPlatform platform = TcpPlatforms.open("netlink");
        int d1 = NetworkInterface.getByName("d1").getIndex();
        List<String> filters = new ArrayList<>();
        List<Boolean> mixed = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            filters.add(args[i]);
            mixed.add(null);
        }
        SsFilterGenerator g = new SsFilterGenerator(seed, d1);
        for (int i = 0; i < count; i++) {
            SsFilterGenerator.Generated f = g.next();
            filters.add(f.text());
            mixed.add(f.mixed());
        }
        System.out.println("SCENE " + key(platform.connections(Filter.ALL, false)).size());
        int sceneChanges = 0;
        for (int i = 0; i < filters.size(); i++) {
            String f = filters.get(i);
            // The scene's TIME_WAIT, FIN_WAIT_2 and SYN_SENT sockets expire after a minute or two: on a
            // slow machine one may go between ss's dump and ours. A comparison counts only on a scene
            // that stayed the same from before ss's dump to after ours; otherwise it is made again.
            Set<String> before = key(platform.connections(Filter.ALL, false));
            Set<String> ss;
            long t0 = System.nanoTime();
            try {
                ss = ss(f);
                ssNanos += System.nanoTime() - t0;
            } catch (IOException e) {
                // ss refuses it: so must we (an inet6: prefix makes every later address IPv6, in ss too).
                String ours;
                try {
                    FilterParser.parse(f);
                    ours = "accepted";
                } catch (IllegalArgumentException refused) {
                    System.out.println("AGREE " + f + " | both refuse: " + refused.getMessage());
                    continue;
                }
                System.out.println("SSERR " + f + " | ss: " + e.getMessage().replace('\n', ' ') + " | we: " + ours);
                continue;
            }
            long t1 = System.nanoTime();
            Set<String> us = key(platform.connections(FilterParser.parse(f), false));
            usNanos += System.nanoTime() - t1;
            Set<String> after = key(platform.connections(Filter.ALL, false));
            if (!before.equals(after)) {
                if (++sceneChanges > 50) {
                    throw new IllegalStateException("the scene keeps changing under the comparisons");
                }
                System.out.println("RESCENE " + f + " | gone " + minus(before, after) + " | new " + minus(after, before));
                i--;
                continue;
            }
            System.out.println((ss.equals(us) ? "AGREE " : "DIFF ") + f + (ss.equals(us) ? "" : " | ss=" + ss + " | us=" + us));
            if (mixed.get(i) != null) {
                boolean refused;
                try {
                    FilterParser.parseForDrop(f);
                    refused = false;
                } catch (IllegalArgumentException e) {
                    refused = true;
                }
                System.out.println((refused == mixed.get(i) ? "DROPCHECK-OK " : "DROPCHECK-WRONG ") + refused + " " + f);
            }
        }
        System.out.println("TIMES ss " + ssNanos / 1_000_000 + " ms, tcpjmx " + usNanos / 1_000_000 + " ms");
        System.out.flush();
        for (AutoCloseable c : KEEP) {
            c.close();
        }
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new java.util.TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    /** {@code ss -Htna FILTER}, leading state clauses as separate words, the expression as one argument. */
    static Set<String> ss(String filter) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ss", "-Htna"));
        String rest = filter;
        while (rest.matches("^(state|exclude) \\S+.*")) {
            String[] w = rest.split(" ", 3);
            cmd.add(w[0]);
            cmd.add(w[1]);
            rest = w.length > 2 ? w[2] : "";
        }
        if (!rest.isEmpty()) {
            cmd.add(rest);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0 || out.contains("Error") || out.contains("Cannot")) {
            throw new IOException(out);
        }
        Set<String> rows = new TreeSet<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            // The State column is left out when the state clauses select one state.
            rows.add(endpoint(f[f.length - 2]) + " " + endpoint(f[f.length - 1]));
        }
        return rows;
    }

    /** ss's "addr[%if]:port" with '*' for a dual-stack wildcard and for port 0, as "addr port". */
    private static String endpoint(String e) {
        int colon = e.lastIndexOf(':');
        String addr = e.substring(0, colon);
        String port = e.substring(colon + 1);
        int pct = addr.indexOf('%');
        if (pct >= 0) {
            addr = addr.substring(0, pct) + (addr.startsWith("[") ? "]" : "");
        }
        addr = addr.equals("*") ? "::" : addr.replace("[", "").replace("]", "");
        return addr + " " + (port.equals("*") ? "0" : port);
    }

    static Set<String> key(List<TcpConnection> rows) {
        Set<String> out = new TreeSet<>();
        for (TcpConnection c : rows) {
            out.add(c.local().addressText() + " " + c.local().port() + " " + c.remote().addressText() + " " + c.remote().port());
        }
        return out;
    }

    private static void build() throws Exception {
        InetAddress a1 = InetAddress.getByName("10.1.0.1");
        InetAddress a2 = InetAddress.getByName("10.2.0.1");
        InetAddress v61 = InetAddress.getByName("fd00:1::1");
        InetAddress v62 = InetAddress.getByName("fd00:2::1");
        Inet6Address ll1 = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), NetworkInterface.getByName("d1"));
        Inet6Address ll2 = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::2").getAddress(), NetworkInterface.getByName("d2"));
        ServerSocketChannel l1 = listen(StandardProtocolFamily.INET, new InetSocketAddress(a1, 5001));
        ServerSocketChannel ssh = listen(StandardProtocolFamily.INET, new InetSocketAddress(a1, 22));
        ServerSocketChannel l2 = listen(StandardProtocolFamily.INET6, new InetSocketAddress(v61, 5002));
        ServerSocketChannel l3 = listen(StandardProtocolFamily.INET6, new InetSocketAddress(5003));
        ServerSocketChannel l4 = listen(StandardProtocolFamily.INET, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        ServerSocketChannel l5 = listen(StandardProtocolFamily.INET6, new InetSocketAddress(ll1, 5005));
        ServerSocketChannel l6 = listen(StandardProtocolFamily.INET6, new InetSocketAddress(ll2, 5006));
        ServerSocketChannel web = listen(StandardProtocolFamily.INET, new InetSocketAddress("192.168.5.41", 80));
        ServerSocketChannel tls = listen(StandardProtocolFamily.INET, new InetSocketAddress("193.233.7.1", 443));

        connect(l1, new InetSocketAddress(a2, 0), new InetSocketAddress(a1, 5001));
        connect(l1, new InetSocketAddress(a1, 7001), new InetSocketAddress(a1, 5001));
        connect(ssh, new InetSocketAddress(a2, 0), new InetSocketAddress(a1, 22));
        connect(l3, null, new InetSocketAddress("127.0.0.1", 5003));
        connect(l3, null, new InetSocketAddress("::1", 5003));
        connect(l2, new InetSocketAddress(v62, 0), new InetSocketAddress(v61, 5002));
        connect(l4, null, l4.getLocalAddress());
        connect(l5, null, new InetSocketAddress(ll1, 5005));
        connect(l6, null, new InetSocketAddress(ll2, 5006));
        connect(web, new InetSocketAddress("192.168.5.1", 26747), new InetSocketAddress("192.168.5.41", 80));
        connect(web, new InetSocketAddress("193.233.7.2", 0), new InetSocketAddress("192.168.5.41", 80));
        connect(tls, new InetSocketAddress("193.233.7.2", 0), new InetSocketAddress("193.233.7.1", 443));
        // CLOSE_WAIT on the server, FIN_WAIT2 on the client: the client closed, the server did not.
        SocketChannel[] cw = connect(l1, new InetSocketAddress(a2, 0), new InetSocketAddress(a1, 5001));
        cw[0].close();
        // TIME_WAIT on the server's explicit port: the server closes first.
        SocketChannel[] tw = connect(l2, null, new InetSocketAddress(v61, 5002));
        tw[1].close();
        tw[0].read(ByteBuffer.allocate(1));
        tw[0].close();
        // TIME_WAIT on a port the kernel chose: the client closes first.
        SocketChannel[] tw2 = connect(l1, null, new InetSocketAddress(a1, 5001));
        tw2[0].close();
        tw2[1].read(ByteBuffer.allocate(1));
        tw2[1].close();
        // SYN_SENT: the test gave these on-link addresses a neighbour entry with a MAC nobody has, so
        // the SYNs go out on d1 and d2 drops them: no answer and no unreachable error for minutes.
        for (String dead : List.of("10.1.0.99", "fd00:1::99")) {
            SocketChannel s = SocketChannel.open();
            s.configureBlocking(false);
            s.connect(new InetSocketAddress(dead, 5001));
            KEEP.add(s);
        }
        Thread.sleep(200);
    }

    private static ServerSocketChannel listen(StandardProtocolFamily family, InetSocketAddress at) throws IOException {
        ServerSocketChannel l = ServerSocketChannel.open(family);
        l.bind(at, 50);
        KEEP.add(l);
        return l;
    }

    /** A connection to the listener: {client, accepted}. */
    private static SocketChannel[] connect(ServerSocketChannel l, InetSocketAddress from, java.net.SocketAddress to)
            throws IOException {
        SocketChannel c = SocketChannel.open(to instanceof InetSocketAddress i && i.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        if (from != null) {
            c.bind(from);
        }
        c.connect(to);
        SocketChannel s = l.accept();
        KEEP.add(c);
        KEEP.add(s);
        return new SocketChannel[] {c, s};
    }
}
