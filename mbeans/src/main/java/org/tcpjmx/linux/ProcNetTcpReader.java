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
            int st = (int) hex(f[3], 2);
            if (!TcpState.isLinuxState(st)) {
                throw malformed(file, lineNo, "has unknown state " + f[3], line);
            }
            if ((stateMask & (1 << st)) == 0) {
                return null;
            }
            Endpoint local = endpoint(family, f[1], file, lineNo, line);
            Endpoint remote = endpoint(family, f[2], file, lineNo, line);
            long[] queues = pair(f[4], file, lineNo, line);
            long[] timer = pair(f[5], file, lineNo, line);
            long uid = decimal(f[7]);
            long inode = decimal(f[9]);
            return new TcpConnection(family, local, remote, TcpState.fromLinux(st), queues[1], queues[0], uid, inode,
                    0, TcpConnection.NO_COOKIE, SocketTimer.fromLinux((int) timer[0]), timer[1] * MILLIS_PER_TICK,
                    (int) hex(f[6], 8), false, "", Optional.empty(), Backend.PROCFS);
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
            long v = hex(field.substring(w * 8, w * 8 + 8), 8);
            for (int i = 0; i < 4; i++) {
                int shift = little ? 8 * i : 8 * (3 - i);
                a[w * 4 + i] = (byte) (v >>> shift);
            }
        }
        int port = (int) hex(field.substring(colon + 1), 4);
        return new Endpoint(a, port);
    }

    private static long[] pair(String field, Path file, int lineNo, String line) {
        int colon = field.indexOf(':');
        if (colon <= 0 || colon == field.length() - 1) {
            throw malformed(file, lineNo, "has '" + field + "' where two numbers joined by ':' belong", line);
        }
        return new long[] {hex(field.substring(0, colon), 8), hex(field.substring(colon + 1), 8)};
    }

    /** Unsigned hex of at most {@code maxDigits} digits; no sign, no prefix (Long.parseLong takes "-16"). */
    private static long hex(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            throw new NumberFormatException("'" + s + "' is not 1-" + maxDigits + " hex digits");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new NumberFormatException("'" + s + "' is not hex");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** Unsigned decimal that fits a long; no sign. */
    private static long decimal(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException("'" + s + "' is not an unsigned decimal number");
        }
        return Long.parseLong(s);
    }

    private static IllegalArgumentException malformed(Path file, int lineNo, String what, String line) {
        return new IllegalArgumentException(file + " line " + lineNo + " " + what + ": " + line.trim());
    }
}
