package org.tcpjmx.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.function.Consumer;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.Endpoint;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.SocketTimer;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

/**
 * Reads {@code /proc/net/tcp} and {@code /proc/net/tcp6}, the fallback when netlink is not
 * available. These files carry no socket cookie, no tcp_info and no congestion control; rows say
 * so ({@link TcpConnection#NO_COOKIE}, empty info, empty stack, backend {@link Backend#PROCFS}).
 */
public final class ProcNetTcpReader {
    /** The kernel prints timers in USER_HZ clock ticks (100 per second on every Linux ABI). */
    private static final int MILLIS_PER_TICK = 10;
    private final Path netDir;

    public ProcNetTcpReader() {
        this(Paths.get("/proc/net"));
    }

    /** Reads the files under another directory (tests use copies). */
    public ProcNetTcpReader(Path netDir) {
        this.netDir = netDir;
    }

    /**
     * Streams the rows of one family whose Linux state is in {@code stateMask}.
     *
     * @throws IllegalArgumentException naming the file and line when a line does not parse
     */
    public void read(IpFamily family, int stateMask, Consumer<TcpConnection> sink) {
        Path file = netDir.resolve(family == IpFamily.INET4 ? "tcp" : "tcp6");
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String header = r.readLine();
            if (header == null) {
                return;
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                TcpConnection c = parseLine(family, line, stateMask, file, lineNo);
                if (c != null) {
                    sink.accept(c);
                }
            }
        } catch (NoSuchFileException e) {
            // no IPv6 in this kernel: an empty table for that family, as ss shows
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /** Parses one line, or returns null when its state is outside the mask. */
    static TcpConnection parseLine(IpFamily family, String line, int stateMask, Path file, int lineNo) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10) {
            throw malformed(file, lineNo, "has " + f.length + " fields, needs at least 10", line);
        }
        try {
            int st = Integer.parseInt(f[3], 16);
            if (!TcpState.isLinuxState(st)) {
                throw malformed(file, lineNo, "has unknown state " + f[3], line);
            }
            if ((stateMask & (1 << st)) == 0) {
                return null;
            }
            Endpoint local = endpoint(family, f[1], file, lineNo, line);
            Endpoint remote = endpoint(family, f[2], file, lineNo, line);
            long[] queues = pair(f[4], 16, file, lineNo, line);
            long[] timer = pair(f[5], 16, file, lineNo, line);
            long uid = Long.parseLong(f[7]);
            long inode = Long.parseLong(f[9]);
            return new TcpConnection(family, local, remote, TcpState.fromLinux(st), queues[1], queues[0], uid, inode,
                    0, TcpConnection.NO_COOKIE, SocketTimer.fromLinux((int) timer[0]), timer[1] * MILLIS_PER_TICK,
                    (int) Long.parseLong(f[6], 16), false, "", Optional.empty(), Backend.PROCFS);
        } catch (NumberFormatException e) {
            throw malformed(file, lineNo, "has a field that is not a number (" + e.getMessage() + ")", line);
        }
    }

    private static Endpoint endpoint(IpFamily family, String field, Path file, int lineNo, String line) {
        int colon = field.indexOf(':');
        int hexLen = family.addressLength() * 2;
        if (colon != hexLen || field.length() != hexLen + 5) {
            throw malformed(file, lineNo, "has address '" + field + "', expected " + hexLen + " hex digits, ':' and a 4-digit port", line);
        }
        byte[] a = new byte[family.addressLength()];
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        // Each 32-bit word is the in-memory (network order) word printed as a host-order integer.
        for (int w = 0; w < a.length / 4; w++) {
            long v = Long.parseLong(field.substring(w * 8, w * 8 + 8), 16);
            for (int i = 0; i < 4; i++) {
                int shift = little ? 8 * i : 8 * (3 - i);
                a[w * 4 + i] = (byte) (v >>> shift);
            }
        }
        int port = Integer.parseInt(field.substring(colon + 1), 16);
        return new Endpoint(a, port);
    }

    private static long[] pair(String field, int radix, Path file, int lineNo, String line) {
        int colon = field.indexOf(':');
        if (colon <= 0 || colon == field.length() - 1) {
            throw malformed(file, lineNo, "has '" + field + "' where two numbers joined by ':' belong", line);
        }
        return new long[] {Long.parseLong(field.substring(0, colon), radix), Long.parseLong(field.substring(colon + 1), radix)};
    }

    private static IllegalArgumentException malformed(Path file, int lineNo, String what, String line) {
        return new IllegalArgumentException(file + " line " + lineNo + " " + what + ": " + line.trim());
    }
}
