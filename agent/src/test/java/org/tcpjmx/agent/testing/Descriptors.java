package org.tcpjmx.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The open file descriptors of a process, each described by what it is: a file's path, or for a TCP
 * socket its state and full 4-tuple as {@code /proc/PID/net/tcp*} shows it, so a test that counts
 * descriptors can say which one is new, and tell the sockets of its own measuring connection from
 * anything else by 4-tuple.
 */
public final class Descriptors {
    private Descriptors() {
    }

    /** One descriptor: its number, its link target, and for a TCP socket its row. */
    public record Descriptor(int fd, String target, TcpRow tcp) {
        /** The descriptor without its number, for comparing two listings. */
        public String what() {
            return tcp == null ? target : "tcp " + tcp;
        }
    }

    /** A TCP socket's row: local and remote {@code address:port} (hex as the kernel prints them, decoded) and state. */
    public record TcpRow(String local, int localPort, String remote, int remotePort, String state) {
        /** The same connection seen from its other end. */
        public TcpRow reversed() {
            return new TcpRow(remote, remotePort, local, localPort, state);
        }

        @Override
        public String toString() {
            return local + ":" + localPort + " -> " + remote + ":" + remotePort + " " + state;
        }
    }

    /** The descriptors of {@code pid} now; ones closed while being listed are left out. */
    public static List<Descriptor> of(String pid) {
        Map<Long, TcpRow> tcp = new HashMap<>();
        readTcp(Paths.get("/proc", pid, "net", "tcp"), tcp);
        readTcp(Paths.get("/proc", pid, "net", "tcp6"), tcp);
        List<Descriptor> out = new ArrayList<>();
        try (Stream<Path> all = Files.list(Paths.get("/proc", pid, "fd"))) {
            for (Path fd : (Iterable<Path>) all.sorted()::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue;
                }
                TcpRow row = null;
                if (target.startsWith("socket:[")) {
                    row = tcp.get(Long.parseLong(target.substring(8, target.length() - 1)));
                }
                out.add(new Descriptor(Integer.parseInt(fd.getFileName().toString()), target, row));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** What {@code after} holds that {@code before} does not, by {@link Descriptor#what()} (a multiset difference). */
    public static List<String> added(List<Descriptor> before, List<Descriptor> after) {
        List<String> extra = new ArrayList<>(after.stream().map(Descriptor::what).toList());
        before.forEach(d -> extra.remove(d.what()));
        return extra;
    }

    private static final String[] STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
        "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};

    private static void readTcp(Path file, Map<Long, TcpRow> into) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return; // no IPv6 in this kernel: nothing to read
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10) {
                continue;
            }
            String[] l = f[1].split(":");
            String[] r = f[2].split(":");
            int st = Integer.parseInt(f[3], 16);
            into.put(Long.parseLong(f[9]), new TcpRow(address(l[0]), Integer.parseInt(l[1], 16), address(r[0]),
                    Integer.parseInt(r[1], 16), st < STATES.length ? STATES[st] : Integer.toString(st)));
        }
    }

    /** The kernel prints addresses as 32-bit words in host (little-endian) order. */
    private static String address(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int w = 0; w < b.length / 4; w++) {
            for (int i = 0; i < 4; i++) {
                b[w * 4 + i] = (byte) Integer.parseInt(hex.substring(w * 8 + (3 - i) * 2, w * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        try {
            return java.net.InetAddress.getByAddress(b).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return hex;
        }
    }
}
