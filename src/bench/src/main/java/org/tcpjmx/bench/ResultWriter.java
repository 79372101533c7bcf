package org.tcpjmx.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Renders a run as a markdown table (printed and saved), CSV and JSON. */
final class ResultWriter {
    private final Machine machine;
    private final BenchOptions options;
    private final List<SizeRun.Result> results;
    private final Instant when;

    ResultWriter(Machine machine, BenchOptions options, List<SizeRun.Result> results, Instant when) {
        this.machine = machine;
        this.options = options;
        this.results = results;
        this.when = when;
    }

    /** Writes results.md, results.csv, targets.csv and results.json under the output directory. */
    void writeAll(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.md"), markdown(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("results.csv"), csv(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("targets.csv"), targetsCsv(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("results.json"), json(), StandardCharsets.UTF_8);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("Run ").append(when).append(" on ").append(machine.oneLine()).append(".\n");
        sb.append(options.warmup()).append(" warm-up and ").append(options.iterations())
                .append(" measured rounds per size; each round runs every measurement once, in turn. ")
                .append("Times are wall-clock milliseconds: median (min–max); a target's ratio is of medians, ")
                .append("and beside it the ratio of the fastest runs. Bulk drops take turns (drop engine, the same without audit log, platform, ss -K), ")
                .append(options.dropRounds()).append(options.dropRounds() == 1 ? " round" : " rounds")
                .append(", each drop on an equal set of farm sockets built for it (the first on the farm just measured).\n");
        for (SizeRun.Result r : results) {
            sb.append("\n### ").append(String.format(Locale.ROOT, "%,d", r.size())).append(" ESTABLISHED farm sockets (")
                    .append(r.workers()).append(r.workers() == 1 ? " process" : " processes")
                    .append(options.timeWait() > 0 ? ", plus " + options.timeWait() + " TIME_WAIT" : "").append(")\n\n");
            sb.append("| measurement | median | min–max | sockets | allocated per 1,000 sockets |\n");
            sb.append("|---|---:|---:|---:|---:|\n");
            for (Measurement m : r.measurements()) {
                sb.append("| ").append(m.label().replace("|", "\\|")).append(" | ")
                        .append(value(m.value().median(), m.unit())).append(" | ")
                        .append(m.value().count() > 1 ? value(m.value().min(), m.unit()) + "–" + value(m.value().max(), m.unit()) : "one run").append(" | ")
                        .append(m.sockets() >= 0 ? String.format(Locale.ROOT, "%,d", m.sockets()) : "").append(" | ")
                        .append(m.hasAllocation() ? String.format(Locale.ROOT, "%,.0f B", m.allocBytesPer1k()) : "").append(" |\n");
            }
            if (!r.targets().isEmpty()) {
                sb.append("\n| target | measured (medians) | fastest runs | bound | met |\n|---|---:|---:|---:|---|\n");
                for (TargetCheck t : r.targets()) {
                    sb.append("| ").append(t.target()).append(" | ").append(num(t.value())).append(" | ")
                            .append(Double.isNaN(t.best()) ? "" : num(t.best())).append(" | ")
                            .append(t.atMost() ? "≤ " : "≥ ").append(num(t.limit())).append(" | ")
                            .append(t.met() ? "yes" : "**no**").append(" |\n");
                }
            }
            for (String n : r.notes()) {
                sb.append("\nNote: ").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    String csv() {
        StringBuilder sb = new StringBuilder("size,id,label,unit,median,min,max,p10,p90,samples,sockets,alloc_bytes_per_1k_sockets\n");
        for (SizeRun.Result r : results) {
            for (Measurement m : r.measurements()) {
                Stats s = m.value();
                sb.append(r.size()).append(',').append(m.id()).append(',').append(csvText(m.label())).append(',').append(m.unit())
                        .append(',').append(num(s.median())).append(',').append(num(s.min())).append(',').append(num(s.max()))
                        .append(',').append(num(s.p10())).append(',').append(num(s.p90())).append(',').append(s.count())
                        .append(',').append(m.sockets()).append(',').append(m.hasAllocation() ? num(m.allocBytesPer1k()) : "")
                        .append('\n');
            }
        }
        return sb.toString();
    }

    String targetsCsv() {
        StringBuilder sb = new StringBuilder("size,target,measured,fastest_runs,bound,relation,met\n");
        for (SizeRun.Result r : results) {
            for (TargetCheck t : r.targets()) {
                sb.append(r.size()).append(',').append(csvText(t.target())).append(',').append(num(t.value())).append(',')
                        .append(Double.isNaN(t.best()) ? "" : num(t.best())).append(',').append(num(t.limit())).append(',').append(t.atMost() ? "at_most" : "at_least").append(',')
                        .append(t.met()).append('\n');
            }
        }
        return sb.toString();
    }

    String json() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"when\": ").append(str(when.toString())).append(",\n");
        sb.append("  \"machine\": {\"cpu\": ").append(str(machine.cpu())).append(", \"cores\": ").append(machine.cores())
                .append(", \"memoryMiB\": ").append(machine.memoryMiB()).append(", \"kernel\": ").append(str(machine.kernel()))
                .append(", \"java\": ").append(str(machine.java())).append(", \"ss\": ").append(str(machine.ss()))
                .append(", \"oshi\": ").append(str(machine.oshi())).append("},\n");
        sb.append("  \"warmup\": ").append(options.warmup()).append(", \"iterations\": ").append(options.iterations())
                .append(", \"timeWait\": ").append(options.timeWait())
                .append(", \"dropRounds\": ").append(options.dropRounds()).append(",\n");
        sb.append("  \"sizes\": [");
        for (int i = 0; i < results.size(); i++) {
            SizeRun.Result r = results.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {\"size\": ").append(r.size()).append(", \"workers\": ").append(r.workers())
                    .append(", \"measurements\": [");
            for (int j = 0; j < r.measurements().size(); j++) {
                Measurement m = r.measurements().get(j);
                Stats s = m.value();
                sb.append(j == 0 ? "\n" : ",\n").append("      {\"id\": ").append(str(m.id())).append(", \"label\": ").append(str(m.label()))
                        .append(", \"unit\": ").append(str(m.unit())).append(", \"median\": ").append(num(s.median()))
                        .append(", \"min\": ").append(num(s.min())).append(", \"max\": ").append(num(s.max()))
                        .append(", \"p10\": ").append(num(s.p10())).append(", \"p90\": ").append(num(s.p90()))
                        .append(", \"samples\": ").append(s.count()).append(", \"sockets\": ").append(m.sockets())
                        .append(", \"allocBytesPer1kSockets\": ").append(m.hasAllocation() ? num(m.allocBytesPer1k()) : "null").append('}');
            }
            sb.append("\n    ], \"targets\": [");
            for (int j = 0; j < r.targets().size(); j++) {
                TargetCheck t = r.targets().get(j);
                sb.append(j == 0 ? "\n" : ",\n").append("      {\"target\": ").append(str(t.target())).append(", \"measured\": ")
                        .append(num(t.value())).append(", \"fastestRuns\": ").append(num(t.best())).append(", \"bound\": ").append(num(t.limit())).append(", \"relation\": ")
                        .append(str(t.atMost() ? "at_most" : "at_least")).append(", \"met\": ").append(t.met()).append('}');
            }
            sb.append("\n    ], \"notes\": [");
            for (int j = 0; j < r.notes().size(); j++) {
                sb.append(j == 0 ? "" : ", ").append(str(r.notes().get(j)));
            }
            sb.append("]}");
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }

    private static String value(double v, String unit) {
        return unit.equals("ms") ? ms(v) : num(v) + " " + unit;
    }

    private static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f ms", v)
                : String.format(Locale.ROOT, "%.2f ms", v);
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String csvText(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
