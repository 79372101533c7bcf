package org.tcpjmx.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * The performance harness of issue 6: for each farm size, builds the socket farm and times our
 * histogram, table (with and without tcp_info), one-port query and bulk drop side by side with
 * {@code ss -tan}, {@code ss -tani}, {@code ss -K} and OSHI, plus the agent's HTTP figures when an
 * agent jar is at hand. Prints a markdown table and writes CSV and JSON.
 *
 * <p>{@code java -jar src/bench/target/tcpjmx-bench.jar --sizes 1000,10000,100000}
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** Runs the harness; exits 2 on bad arguments, 1 when a measurement failed. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            out.println(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ResultWriter w = run(options, out);
        out.println();
        out.print(w.markdown());
        out.println("\nWritten: " + options.out().resolve("results.md") + ", results.csv, targets.csv, results.json");
    }

    /** Runs every size and writes the result files; progress goes to {@code log}. */
    static ResultWriter run(BenchOptions options, PrintStream log) throws Exception {
        TcpPlatform platform = TcpPlatforms.open("netlink");
        Machine machine = Machine.describe();
        log.println("tcpjmx bench on " + machine.oneLine());
        Instant when = Instant.now();
        List<SizeRun.Result> results = new ArrayList<>();
        try (AuditLog audit = AuditLog.to(options.out().resolve("library.log"))) {
            for (int size : options.sizes()) {
                log.printf("size %,d: building the farm, %d warm-up + %d measured rounds%n", size, options.warmup(), options.iterations());
                long t0 = System.nanoTime();
                results.add(new SizeRun(options, platform, size).run());
                log.printf("size %,d: done in %.1f s%n", size, (System.nanoTime() - t0) / 1e9);
            }
        }
        ResultWriter w = new ResultWriter(machine, options, results, when);
        w.writeAll(options.out());
        return w;
    }
}
