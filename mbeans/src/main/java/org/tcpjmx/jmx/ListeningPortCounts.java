package org.tcpjmx.jmx;

import java.util.EnumSet;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;

/**
 * Sockets per state on the host's server ports: the local ports where some socket listens. This is
 * what {@code States.ByListeningPort} shows, and why it is bounded: every outgoing connection has a
 * local port of its own (an ephemeral one), so a breakdown over every local port would give
 * Prometheus one series per client connection; a host's listening ports are few and stable.
 */
final class ListeningPortCounts {
    /** Most ports shown, lowest first: well-known and service ports before the random ones of tests and tools. */
    static final int PORT_LIMIT = 100;

    private static final Filter LISTENERS = new Filter.States(EnumSet.of(TcpState.LISTEN));

    private ListeningPortCounts() {
    }

    /**
     * The lowest {@code limit} ports with a listening socket (IPv4 or IPv6, any address), each with
     * every socket whose local port it is, per state, every state present.
     */
    static SortedMap<Integer, StateHistogram> count(TcpPlatform platform, int limit) {
        // The kernel filters the first dump by state, so it costs next to nothing; the second walks the table once.
        TreeSet<Integer> listening = new TreeSet<>();
        platform.forEach(LISTENERS, false, c -> listening.add(c.local().port()));
        while (listening.size() > limit) {
            listening.pollLast();
        }
        Map<Integer, StateHistogram.Counter> counters = new TreeMap<>();
        for (Integer port : listening) {
            counters.put(port, new StateHistogram.Counter());
        }
        platform.forEach(Filter.ALL, false, c -> {
            StateHistogram.Counter counter = counters.get(c.local().port());
            if (counter != null) {
                counter.add(c.state());
            }
        });
        SortedMap<Integer, StateHistogram> out = new TreeMap<>();
        counters.forEach((port, counter) -> out.put(port, counter.snapshot()));
        return out;
    }
}
