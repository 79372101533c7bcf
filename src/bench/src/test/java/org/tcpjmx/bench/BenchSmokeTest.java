package org.tcpjmx.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness at 1,000 sockets, one round: every row is there with believable numbers, so the
 * benchmark cannot rot between full runs. Asserts no timing.
 */
class BenchSmokeTest {
    private static final int SIZE = 1000;

    @Test
    void aOneThousandSocketRunProducesEveryRowWithSaneNumbers(@TempDir Path out) throws Exception {
        BenchOptions options = BenchOptions.parse("--sizes", Integer.toString(SIZE), "--iterations", "1", "--warmup", "0",
                "--drop-rounds", "1", "--cpu-window", "1", "--out", out.toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ResultWriter w = BenchMain.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        Map<String, String[]> rows = new HashMap<>();
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("size,id,label,unit,median,min,max,p10,p90,samples,sockets,alloc_bytes_per_1k_sockets", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = splitCsv(line);
            assertEquals(12, f.length, line);
            assertEquals(Integer.toString(SIZE), f[0], line);
            rows.put(f[1], f);
        }
        List<String> expected = new ArrayList<>(List.of("spawn.true", "ours.histogram", "ss.tan", "ours.table", "ours.table_info",
                "ss.tani", "ours.port", "ss.port", "oshi.connections", "ours.snapshot", "ours.counters", "ss.s",
                "drop.ours", "drop.ours_quiet", "drop.platform", "drop.ss"));
        if (options.agentJar().isPresent()) {
            expected.addAll(List.of("http.histogram", "http.histogram_exec", "http.states", "http.scrape", "http.everything",
                    "http.version", "http.count", "http.timewait", "agent.attach", "agent.attach_cli", "agent.idle_heap",
                    "cpu.host_before", "cpu.agent_idle", "cpu.agent_watch", "cpu.agent_scrape", "cpu.agent_scrape_unshared",
                    "http.version_keepalive", "http.version_new_connection", "http.small_keepalive", "http.small_new_connection"));
        }
        assertEquals(expected.stream().sorted().toList(), rows.keySet().stream().sorted().toList(), "rows: " + rows.keySet());

        for (String id : expected) {
            double median = Double.parseDouble(rows.get(id)[4]);
            String unit = rows.get(id)[3];
            // CPU is a share of one core over a window: an idle second may well show 0, never more than every core.
            boolean sane = switch (unit) {
                case "MiB" -> median >= 0 && median < 1024;
                case "%" -> median >= 0 && median <= 100.0 * Runtime.getRuntime().availableProcessors();
                default -> median > 0 && median < 120_000;
            };
            assertTrue(sane,
                    id + " median " + median + " " + unit);
        }
        // Every tool that counts saw at least the farm (other processes' sockets may add to it).
        for (String id : List.of("ours.histogram", "ours.table", "ours.table_info", "oshi.connections", "ours.snapshot",
                "ours.counters")) {
            assertTrue(sockets(rows, id) >= SIZE, id + " saw " + sockets(rows, id));
        }
        // One worker: its 500 accepted sockets and its listener.
        assertEquals(SIZE / 2 + 1, sockets(rows, "ours.port"));
        // Both drops destroyed every accepted farm socket of an equal, fresh farm (the harness checks none is left).
        assertEquals(SIZE / 2, sockets(rows, "drop.ours"));
        assertEquals(SIZE / 2, sockets(rows, "drop.ours_quiet"));
        assertEquals(SIZE / 2, sockets(rows, "drop.platform"));
        assertEquals(SIZE / 2, sockets(rows, "drop.ss"));
        // Allocation is counted for our in-process calls, and a table row costs more than a histogram count.
        double histAlloc = Double.parseDouble(rows.get("ours.histogram")[11]);
        double tableAlloc = Double.parseDouble(rows.get("ours.table")[11]);
        assertTrue(histAlloc >= 0 && tableAlloc > histAlloc, "histogram " + histAlloc + " B, table " + tableAlloc + " B per 1k");
        assertEquals("", rows.get("ss.tan")[11], "no allocation figure for another process");

        String json = Files.readString(out.resolve("results.json"));
        for (String id : expected) {
            assertTrue(json.contains("\"id\": \"" + id + "\""), id + " missing from results.json");
        }
        List<String> targets = Files.readAllLines(out.resolve("targets.csv"));
        assertTrue(targets.size() >= 7, "a line per target: " + targets);
        String md = w.markdown();
        assertTrue(md.contains("| tcpjmx histogram(ALL) |") && md.contains("| target | measured (medians) | fastest runs | bound | met |"), md);
        assertEquals(md, Files.readString(out.resolve("results.md")));
    }

    private static long sockets(Map<String, String[]> rows, String id) {
        return Long.parseLong(rows.get(id)[10]);
    }

    /** Splits one line of our CSV: only the label is quoted. */
    private static String[] splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
