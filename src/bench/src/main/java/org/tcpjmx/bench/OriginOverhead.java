package org.tcpjmx.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Origin tracking's cost: {@link SocketLoop} (connect+close on loopback, accepted on a thread of
 * its own) in child JVMs with the agent loaded and {@code trackOrigins=false}, then
 * {@code trackOrigins=true}, alternating for ROUNDS rounds; prints each round and the ratios of the
 * medians: of the throughput, of the child's CPU time per pair, and of the CPU time per pair of the
 * connecting and accepting threads alone (the last two wander less than the throughput when other
 * processes share the machine); and the median of each round's own on/off, whose two runs are
 * neighbours in time, so a load that drifts over the series cancels out. Every connect and every
 * accept is recorded. Run under {@code taskset -c N} the children inherit one CPU: both loop threads
 * then share it, and the throughput no longer depends on whether the scheduler put them apart.
 * {@code java -cp tcpjmx-bench.jar org.tcpjmx.bench.OriginOverhead AGENT_JAR [ROUNDS] [MEASURE_MS] [WARMUP_MS]}
 * (defaults 5, 3000, 8000).
 */
public final class OriginOverhead {
    private OriginOverhead() {
    }

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String measure = args.length > 2 ? args[2] : "3000";
        // On 2 shared cores C2 was still compiling the connect path 4.5 s into a run: a shorter warm-up
        // measures the JIT as much as the hook.
        String warmup = args.length > 3 ? args[3] : "8000";
        String[] names = {"connect+accept pairs/s", "process CPU ns per pair", "loop threads' CPU ns per pair"};
        List<List<Long>> off = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<Long>> on = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            long[] a = run(jar, false, warmup, measure);
            long[] b = run(jar, true, warmup, measure);
            for (int i = 0; i < names.length; i++) {
                off.get(i).add(a[i]);
                on.get(i).add(b[i]);
            }
            System.out.printf("round %d: trackOrigins=false %d/s (CPU/pair %d ns, loop threads %d ns),"
                    + " trackOrigins=true %d/s (CPU/pair %d ns, loop threads %d ns)%n", r + 1, a[0], a[1], a[2], b[0], b[1], b[2]);
        }
        for (int i = 0; i < names.length; i++) {
            long mOff = median(off.get(i));
            long mOn = median(on.get(i));
            List<Long> paired = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                paired.add(Math.round(1000.0 * on.get(i).get(r) / off.get(i).get(r)));
            }
            System.out.printf("median %s: off %d, on %d; on/off = %.3f; median of the rounds' on/off = %.3f%n",
                    names[i], mOff, mOn, (double) mOn / mOff, median(paired) / 1000.0);
        }
    }

    /** One child run: {pairs per second, CPU nanoseconds per pair}. */
    private static long[] run(String jar, boolean track, String warmup, String measure) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Paths.get(SocketLoop.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-javaagent:" + jar + "=jolokia=false,trackOrigins=" + track,
                "-cp", cp, SocketLoop.class.getName(), warmup, measure);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("OPS ")) {
                    p.waitFor();
                    String[] f = line.split(" ");
                    return new long[] {Long.parseLong(f[1]), Long.parseLong(f[5]), Long.parseLong(f[7])};
                }
            }
        }
        p.waitFor();
        throw new IllegalStateException("SocketLoop printed no OPS line (exit " + p.exitValue() + ")");
    }

    private static long median(List<Long> v) {
        long[] a = v.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
