package org.tcpjmx.platform;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tcpjmx.model.StateHistogram;

/**
 * The state counts of one walk of the socket table: the host's histogram, this JVM's, and the
 * histograms of the host's listening ports, all from the same sockets at the same moment.
 *
 * @param timeMillis when the walk began, epoch milliseconds
 * @param startNanos when the walk began, {@link System#nanoTime()} (for ages; immune to clock changes)
 * @param walkNanos how long the walk took
 * @param all every socket of the host, per state
 * @param own the sockets this JVM holds, per state
 * @param byListeningPort for the lowest listening ports (a socket in LISTEN on that local port, any
 *     address, either family), every socket on that local port per state; ports ascending
 */
public record TableSnapshot(long timeMillis, long startNanos, long walkNanos, StateHistogram all, StateHistogram own,
                            SortedMap<Integer, StateHistogram> byListeningPort) {
    public TableSnapshot {
        if (all == null || own == null || byListeningPort == null) {
            throw new IllegalArgumentException("a snapshot needs its histograms");
        }
        byListeningPort = Collections.unmodifiableSortedMap(new TreeMap<>(byListeningPort));
    }

    /** Milliseconds since the walk began, as of {@code nowNanos} ({@link System#nanoTime()}). */
    public long ageMillis(long nowNanos) {
        return Math.max(0, (nowNanos - startNanos) / 1_000_000);
    }
}
