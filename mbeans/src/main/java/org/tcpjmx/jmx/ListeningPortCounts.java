package org.tcpjmx.jmx;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.Endpoint;
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
     * every socket of that listener's: on that local port and on an address it listens on (any, for
     * a wildcard listener), per state, every state present. A client socket whose ephemeral port
     * happens to equal a listener's on another address (127.0.0.2:8080 beside a listener on
     * 127.0.0.1:8080) is no connection of that service and is not counted.
     */
    static SortedMap<Integer, StateHistogram> count(TcpPlatform platform, int limit) {
        // The kernel filters the first dump by state, so it costs next to nothing; the second walks the table once.
        Map<Integer, List<Endpoint>> listening = new TreeMap<>();
        platform.forEach(LISTENERS, false, c -> listening.computeIfAbsent(c.local().port(), p -> new ArrayList<>()).add(c.local()));
        TreeSet<Integer> ports = new TreeSet<>(listening.keySet());
        while (ports.size() > limit) {
            ports.pollLast();
        }
        Map<Integer, StateHistogram.Counter> counters = new TreeMap<>();
        for (Integer port : ports) {
            counters.put(port, new StateHistogram.Counter());
        }
        platform.forEach(Filter.ALL, false, c -> {
            StateHistogram.Counter counter = counters.get(c.local().port());
            if (counter != null && servedBy(listening.get(c.local().port()), c.local())) {
                counter.add(c.state());
            }
        });
        SortedMap<Integer, StateHistogram> out = new TreeMap<>();
        counters.forEach((port, counter) -> out.put(port, counter.snapshot()));
        return out;
    }

    /** Whether one of a port's listeners listens on the socket's local address (an IPv4-mapped one counts as IPv4). */
    private static boolean servedBy(List<Endpoint> listeners, Endpoint local) {
        for (Endpoint l : listeners) {
            if (l.isWildcard() || l.toInetAddress().equals(local.toInetAddress())) {
                return true;
            }
        }
        return false;
    }
}
