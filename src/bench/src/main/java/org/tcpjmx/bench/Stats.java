package org.tcpjmx.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The spread of repeated samples: median, min, max and nearest-rank p10/p90.
 *
 * @param count how many samples
 */
record Stats(int count, double median, double min, double max, double p10, double p90) {

    /** Summarizes at least one sample. */
    static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to summarize");
        }
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        int n = s.size();
        double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        return new Stats(n, median, s.get(0), s.get(n - 1), rank(s, 0.10), rank(s, 0.90));
    }

    /** One sample. */
    static Stats single(double value) {
        return new Stats(1, value, value, value, value, value);
    }

    private static double rank(List<Double> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
