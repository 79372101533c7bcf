package org.tcpjmx.bench;

/**
 * One row of the results: what was measured at one farm size and how it came out.
 *
 * @param size the farm's ESTABLISHED sockets
 * @param id a stable key ({@code ours.histogram}, {@code ss.tan}, ...)
 * @param label what a reader sees
 * @param value the figure's samples (milliseconds, or bytes for {@code unit} "MiB")
 * @param unit "ms" or "MiB"
 * @param sockets sockets the tool saw or acted on (median), -1 when it does not say
 * @param allocBytesPer1k heap bytes allocated per 1,000 sockets (median), NaN when not measured
 */
record Measurement(int size, String id, String label, Stats value, String unit, long sockets, double allocBytesPer1k) {

    static Measurement timing(int size, String id, String label, Stats millis, long sockets, double allocBytesPer1k) {
        return new Measurement(size, id, label, millis, "ms", sockets, allocBytesPer1k);
    }

    boolean hasAllocation() {
        return !Double.isNaN(allocBytesPer1k);
    }
}
