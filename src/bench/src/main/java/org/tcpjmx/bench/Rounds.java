package org.tcpjmx.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs probes round-robin: every round runs each probe once, so load from other work on the host
 * falls on all of them alike; warm-up rounds are thrown away.
 */
final class Rounds {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Rounds() {
    }

    static List<Measurement> run(int size, List<Probe> probes, int warmup, int iterations) throws Exception {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
        }
        Map<Probe, List<Double>> millis = new LinkedHashMap<>();
        Map<Probe, List<Double>> seen = new LinkedHashMap<>();
        Map<Probe, List<Double>> allocPer1k = new LinkedHashMap<>();
        for (Probe p : probes) {
            millis.put(p, new ArrayList<>());
            seen.put(p, new ArrayList<>());
            allocPer1k.put(p, new ArrayList<>());
        }
        long thread = Thread.currentThread().getId();
        for (int round = 0; round < warmup + iterations; round++) {
            for (Probe p : probes) {
                long a0 = THREADS.getThreadAllocatedBytes(thread);
                long t0 = System.nanoTime();
                long sockets = p.action().run();
                long t1 = System.nanoTime();
                long a1 = THREADS.getThreadAllocatedBytes(thread);
                if (round < warmup) {
                    continue;
                }
                millis.get(p).add((t1 - t0) / 1e6);
                seen.get(p).add((double) sockets);
                if (p.allocation() && sockets > 0) {
                    allocPer1k.get(p).add((a1 - a0) * 1000.0 / sockets);
                }
            }
        }
        List<Measurement> out = new ArrayList<>();
        for (Probe p : probes) {
            double alloc = allocPer1k.get(p).isEmpty() ? Double.NaN : Stats.of(allocPer1k.get(p)).median();
            out.add(Measurement.timing(size, p.id(), p.label(), Stats.of(millis.get(p)),
                    Math.round(Stats.of(seen.get(p)).median()), alloc));
        }
        return out;
    }
}
