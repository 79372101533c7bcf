package org.tcpjmx.agent.cli;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.tcpjmx.model.TcpState;

/**
 * How {@code states} prints a histogram: every state with its count, and optionally a bar scaled to
 * the largest count and the change since the previous refresh ({@code --watch}).
 */
final class HistogramView {
    /** Bar length of the largest count. */
    static final int WIDTH = 40;

    private final boolean bars;
    private final char block;

    /**
     * @param bars draw bars
     * @param unicode draw them with a full block ({@code U+2588}) rather than {@code #}
     */
    HistogramView(boolean bars, boolean unicode) {
        this.bars = bars;
        this.block = unicode ? '\u2588' : '#';
    }

    /** Whether this JVM's standard output takes UTF-8 (JDK 17's and 19's properties for it, else the default charset). */
    static boolean utf8Out() {
        String encoding = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name()));
        return encoding.toUpperCase(Locale.ROOT).replace("-", "").equals("UTF8");
    }

    /** The counts per state of a histogram answer (absent states count 0). */
    static Map<TcpState, Long> counts(Map<?, ?> histogram) {
        Map<TcpState, Long> counts = new EnumMap<>(TcpState.class);
        for (TcpState s : TcpState.values()) {
            Object v = histogram.get(s.name());
            counts.put(s, v instanceof Number ? ((Number) v).longValue() : 0L);
        }
        return counts;
    }

    /**
     * Prints one line per state and the total.
     *
     * @param previous the counts of the previous refresh, or null: then no change column
     */
    void print(Map<TcpState, Long> counts, Map<TcpState, Long> previous, PrintStream out) {
        long max = 0;
        long total = 0;
        for (long n : counts.values()) {
            max = Math.max(max, n);
            total += n;
        }
        int digits = Math.max(1, Long.toString(Math.max(max, total)).length());
        for (TcpState s : TcpState.values()) {
            long n = counts.get(s);
            StringBuilder line = new StringBuilder(String.format("%-12s %-" + digits + "d", s.name(), n));
            if (previous != null) {
                long delta = n - previous.getOrDefault(s, 0L);
                line.append(String.format(" %8s", delta == 0 ? "" : String.format("%+d", delta)));
            }
            if (bars && n > 0) {
                // Every non-zero count gets at least one block, so a single leaked socket shows.
                int len = (int) Math.max(1, Math.round((double) n * WIDTH / max));
                line.append(' ').append(String.valueOf(block).repeat(len));
            }
            out.println(line.toString().stripTrailing());
        }
        StringBuilder totalLine = new StringBuilder(String.format("%-12s %-" + digits + "d", "TOTAL", total));
        if (previous != null) {
            long before = previous.values().stream().mapToLong(Long::longValue).sum();
            totalLine.append(String.format(" %8s", total == before ? "" : String.format("%+d", total - before)));
        }
        out.println(totalLine.toString().stripTrailing());
    }
}
