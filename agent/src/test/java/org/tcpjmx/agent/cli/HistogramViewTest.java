package org.tcpjmx.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.TcpState;

/** The states picture: bars scaled to the largest count, a single socket still visible, changes signed. */
class HistogramViewTest {

    private static String print(HistogramView view, Map<?, ?> now, Map<?, ?> before) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        view.print(HistogramView.counts(now), before == null ? null : HistogramView.counts(before), out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void barsAreScaledToTheLargestCountAndOneSocketStillShows() {
        String out = print(new HistogramView(true, false), Map.of("ESTABLISHED", 200L, "TIME_WAIT", 100L, "CLOSE_WAIT", 1L), null);
        List<String> lines = out.lines().toList();
        assertEquals(TcpState.values().length + 1, lines.size(), out);
        assertEquals("ESTABLISHED  200 " + "#".repeat(HistogramView.WIDTH), line(lines, "ESTABLISHED"));
        assertEquals("TIME_WAIT    100 " + "#".repeat(HistogramView.WIDTH / 2), line(lines, "TIME_WAIT"));
        assertEquals("CLOSE_WAIT   1   #", line(lines, "CLOSE_WAIT"));
        assertEquals("LISTEN       0", line(lines, "LISTEN"));
        assertEquals("TOTAL        301", line(lines, "TOTAL"));
    }

    @Test
    void aRefreshShowsTheChangePerStateAndInTotal() {
        String out = print(new HistogramView(false, true), Map.of("ESTABLISHED", 10L, "CLOSE_WAIT", 5L),
                Map.of("ESTABLISHED", 12L, "CLOSE_WAIT", 2L));
        List<String> lines = out.lines().toList();
        assertEquals("ESTABLISHED  10       -2", line(lines, "ESTABLISHED"));
        assertEquals("CLOSE_WAIT   5        +3", line(lines, "CLOSE_WAIT"));
        assertEquals("LISTEN       0", line(lines, "LISTEN"));
        assertEquals("TOTAL        15       +1", line(lines, "TOTAL"));
    }

    private static String line(List<String> lines, String state) {
        return lines.stream().filter(l -> l.startsWith(state + " ")).findFirst().orElseThrow(() -> new AssertionError(state + " missing: " + lines));
    }
}
