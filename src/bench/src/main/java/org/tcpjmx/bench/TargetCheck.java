package org.tcpjmx.bench;

/**
 * One of issue 6's targets, evaluated on one run.
 *
 * @param size the farm size it was evaluated at
 * @param target the target in words
 * @param value the measured figure (a ratio, milliseconds, bytes per 1k sockets or MiB)
 * @param limit the bound the figure must respect
 * @param atMost whether {@code value <= limit} is required (else {@code value >= limit})
 */
record TargetCheck(int size, String target, double value, double limit, boolean atMost) {

    boolean met() {
        return atMost ? value <= limit : value >= limit;
    }
}
