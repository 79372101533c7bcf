package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.SocketExtras;
import org.tcpjmx.model.SocketMemory;
import org.tcpjmx.model.TcpConnection;

/** The socket memory and extras of a row are what {@code ss -tanmei --tos} prints for the same socket. */
class SocketFieldsMatchSsTest {
    private static final TcpPlatform NETLINK = TcpPlatforms.open("netlink");

    @Test
    void memoryTosAndCgroupOfAQueryWithInfoRowAreWhatSsShows() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(lo, 0));
             SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET)) {
            c.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
            c.setOption(StandardSocketOptions.IP_TOS, 0x10);
            c.connect(l.getLocalAddress());
            try (SocketChannel s = l.accept()) {
                int lport = ((InetSocketAddress) l.getLocalAddress()).getPort();
                int cport = ((InetSocketAddress) c.getLocalAddress()).getPort();
                String tuple = "src 127.0.0.1:" + cport + " dst 127.0.0.1:" + lport;
                List<TcpConnection> rows = NETLINK.connections(FilterParser.parse(tuple), true);
                assertEquals(1, rows.size(), "one socket has this 4-tuple: " + rows);
                SocketExtras x = rows.get(0).extras();

                String ss = ss("-tanmei", "--tos", "state", "established", tuple);
                Matcher m = Pattern.compile("skmem:\\(r(\\d+),rb(\\d+),t(\\d+),tb(\\d+),f(\\d+),w(\\d+),o(\\d+),bl(\\d+),d(\\d+)\\)")
                        .matcher(ss);
                assertTrue(m.find(), "ss -m shows skmem: " + ss);
                SocketMemory expected = new SocketMemory(n(m, 1), n(m, 2), n(m, 3), n(m, 4), n(m, 5), n(m, 6), n(m, 7),
                        n(m, 8), n(m, 9));
                assertEquals(expected, x.memory().orElseThrow(), "ss: " + ss);
                assertTrue(expected.rcvbuf() >= 65536, "SO_RCVBUF shows (the kernel doubles it): " + expected);

                Matcher tos = Pattern.compile("tos:0x([0-9a-f]+)").matcher(ss);
                assertTrue(tos.find(), ss);
                assertEquals(Integer.parseInt(tos.group(1), 16), x.tos());
                assertEquals(0x10, x.tos());
                // Marks are reported to CAP_NET_ADMIN only; ss -e prints fwmark: only when it is not 0.
                assertTrue(!ss.contains("fwmark:") && (x.mark() == 0 || x.mark() == -1), "no mark on this socket: " + x + " " + ss);

                Matcher cg = Pattern.compile("cgroup:(\\S+)").matcher(ss);
                Path mount = cgroup2Mount();
                if (cg.find() && mount != null) {
                    Path dir = mount.resolve(cg.group(1).replaceFirst("^/", ""));
                    long inode = ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
                    assertEquals(inode, x.cgroupId(), "the cgroup ss names is the cgroup whose id the row holds: " + ss);
                    assertEquals(1, NETLINK.connections(FilterParser.parse(tuple + " cgroup " + cg.group(1)), false).size());
                } else {
                    System.out.println("cgroup: no cgroup2 mount or ss printed none; only the memory and tos were compared");
                }
            }
        }
    }

    private static long n(Matcher m, int g) {
        return Long.parseLong(m.group(g));
    }

    private static Path cgroup2Mount() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 2 && f[2].equals("cgroup2")) {
                return Path.of(f[1]);
            }
        }
        return null;
    }

    private static String ss(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ss"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
