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
 * {@code trackOrigins=true}, alternating for ROUNDS rounds; prints each round and the ratio of the
 * medians. Every connect and every accept is recorded with its full (trimmed) stack: no sampling.
 * {@code java -cp tcpjmx-bench.jar org.tcpjmx.bench.OriginOverhead AGENT_JAR [ROUNDS] [MEASURE_MS]}
 */
public final class OriginOverhead {
    private OriginOverhead() {
    }

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String measure = args.length > 2 ? args[2] : "3000";
        List<Long> off = new ArrayList<>();
        List<Long> on = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long a = run(jar, false, measure);
            long b = run(jar, true, measure);
            off.add(a);
            on.add(b);
            System.out.printf("round %d: trackOrigins=false %d/s, trackOrigins=true %d/s%n", r + 1, a, b);
        }
        long mOff = median(off);
        long mOn = median(on);
        System.out.printf("median connect+accept pairs/s: off %d, on %d; on/off = %.3f (%.1f%% lower throughput)%n",
                mOff, mOn, (double) mOn / mOff, 100.0 * (mOff - mOn) / mOff);
    }

    private static long run(String jar, boolean track, String measure) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Paths.get(SocketLoop.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-javaagent:" + jar + "=jolokia=false,trackOrigins=" + track,
                "-cp", cp, SocketLoop.class.getName(), "1500", measure);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("OPS ")) {
                    p.waitFor();
                    return Long.parseLong(line.split(" ")[1]);
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
