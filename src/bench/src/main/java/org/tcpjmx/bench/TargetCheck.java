package org.tcpjmx.bench;

/**
 * One of issue 6's targets, evaluated on one run.
 *
 * @param size the farm size it was evaluated at
 * @param target the target in words
 * @param value the measured figure (a ratio of medians, milliseconds, bytes per 1k sockets or MiB)
 * @param best for a ratio, the ratio of the two fastest runs (what the code costs when nothing else
 *     on the host gets in the way); NaN otherwise
 * @param limit the bound the figure must respect
 * @param atMost whether {@code value <= limit} is required (else {@code value >= limit})
 */
record TargetCheck(int size, String target, double value, double best, double limit, boolean atMost) {

    /** A target on a single figure. */
    TargetCheck(int size, String target, double value, double limit, boolean atMost) {
        this(size, target, value, Double.NaN, limit, atMost);
    }

    boolean met() {
        return atMost ? value <= limit : value >= limit;
    }
}
