package org.tcpjmx.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tcpjmx.model.TcpSocketCounters;

/**
 * Reads the kernel's socket counters, the figures {@code ss -s} prints: the {@code TCP:} line of
 * {@code /proc/net/sockstat} ({@code inuse orphan tw alloc mem}) and the {@code TCP6:} line of
 * {@code /proc/net/sockstat6} ({@code inuse}). Both are a handful of lines the kernel prints from
 * counters it keeps anyway (net/ipv4/proc.c {@code sockstat_seq_show}, net/ipv6/proc.c
 * {@code sockstat6_seq_show}), so a read costs the same at ten sockets as at a million.
 *
 * <p>Each line is the protocol name and colon, then pairs of a name and a number. Names this
 * reader does not know are skipped, so a kernel adding a pair changes nothing.
 */
public final class ProcNetSockstatReader {
    private final Path netDir;

    /** Reads this process's network namespace ({@code /proc/net}). */
    public ProcNetSockstatReader() {
        this(Paths.get("/proc/net"));
    }

    /** Reads {@code sockstat} and {@code sockstat6} under another directory (tests use copies). */
    public ProcNetSockstatReader(Path netDir) {
        this.netDir = netDir;
    }

    /**
     * The counters; empty when {@code sockstat} does not exist (no procfs mounted). A kernel without
     * IPv6 has no {@code sockstat6}: its IPv6 count is 0.
     *
     * @throws IllegalStateException naming the file and line when a line is malformed or a pair is missing
     * @throws UncheckedIOException when a file exists but cannot be read
     */
    public Optional<TcpSocketCounters> read() {
        Optional<List<String>> v4 = lines(netDir.resolve("sockstat"));
        if (v4.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> tcp = pairs(netDir.resolve("sockstat").toString(), v4.get(), "TCP");
        Path six = netDir.resolve("sockstat6");
        Optional<List<String>> v6 = lines(six);
        long inUse6 = v6.isEmpty() ? 0 : required(six.toString(), pairs(six.toString(), v6.get(), "TCP6"), "TCP6", "inuse");
        String source = netDir.resolve("sockstat").toString();
        return Optional.of(new TcpSocketCounters(required(source, tcp, "TCP", "inuse"), inUse6,
                required(source, tcp, "TCP", "tw"), required(source, tcp, "TCP", "orphan"),
                required(source, tcp, "TCP", "alloc"), required(source, tcp, "TCP", "mem")));
    }

    private static Optional<List<String>> lines(Path file) {
        try {
            return Optional.of(Files.readAllLines(file, StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /**
     * The name/number pairs of the line starting with {@code protocol:}.
     *
     * @throws IllegalStateException when there is no such line, a name has no number, or a number is not one
     */
    static Map<String, Long> pairs(String source, List<String> lines, String protocol) {
        String prefix = protocol + ":";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith(prefix)) {
                continue;
            }
            String rest = line.substring(prefix.length()).trim();
            String[] f = rest.isEmpty() ? new String[0] : rest.split("\\s+");
            if (f.length % 2 != 0) {
                throw malformed(source, i + 1, "'" + prefix + "' holds " + f.length + " fields; it should be name/number pairs");
            }
            Map<String, Long> out = new HashMap<>();
            for (int k = 0; k < f.length; k += 2) {
                try {
                    out.put(f[k], Long.parseLong(f[k + 1]));
                } catch (NumberFormatException e) {
                    throw malformed(source, i + 1, "the value of '" + f[k] + "' is not a number: '" + f[k + 1] + "'");
                }
            }
            return out;
        }
        throw new IllegalStateException(source + " has no '" + prefix + "' line");
    }

    private static long required(String source, Map<String, Long> pairs, String protocol, String name) {
        Long v = pairs.get(name);
        if (v == null) {
            throw new IllegalStateException(source + ": the '" + protocol + ":' line has no '" + name + "' (it has "
                    + pairs.keySet() + ")");
        }
        return v;
    }

    private static IllegalStateException malformed(String source, int lineNo, String problem) {
        return new IllegalStateException(source + " line " + lineNo + ": " + problem);
    }
}
