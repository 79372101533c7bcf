package org.tcpjmx.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Counts of sockets per state; every state is present, zeros included. Immutable. */
public final class StateHistogram {
    private final long[] counts;

    private StateHistogram(long[] counts) {
        this.counts = counts;
    }

    /** A histogram from counts indexed by {@link TcpState#ordinal()}. */
    public static StateHistogram of(long[] countsByOrdinal) {
        if (countsByOrdinal.length != TcpState.values().length) {
            throw new IllegalArgumentException("need " + TcpState.values().length + " counts, got " + countsByOrdinal.length);
        }
        return new StateHistogram(countsByOrdinal.clone());
    }

    /** The count for one state. */
    public long count(TcpState state) {
        return counts[state.ordinal()];
    }

    /** The sum over all states. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** State name to count, in {@link TcpState} order, all states present. */
    public Map<String, Long> toMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (TcpState s : TcpState.values()) {
            m.put(s.name(), counts[s.ordinal()]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The counts as an EnumMap. */
    public Map<TcpState, Long> toEnumMap() {
        Map<TcpState, Long> m = new EnumMap<>(TcpState.class);
        for (TcpState s : TcpState.values()) {
            m.put(s, counts[s.ordinal()]);
        }
        return m;
    }

    /** Accumulates counts; not thread-safe. */
    public static final class Counter {
        private final long[] counts = new long[TcpState.values().length];

        public void add(TcpState state) {
            counts[state.ordinal()]++;
        }

        public void add(TcpState state, long n) {
            counts[state.ordinal()] += n;
        }

        public StateHistogram snapshot() {
            return of(counts);
        }
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
