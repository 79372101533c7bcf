package org.tcpjmx.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpState;

/**
 * State histograms broken down by local port and by remote address, the histogram of this JVM's
 * own sockets, and {@link #snapshot}, all of them from one walk. Each is counted while the table
 * streams past ({@link TcpPlatform#forEach}, {@link TcpPlatform#tally}); no table is kept, only
 * one counter array per distinct port or address.
 */
public final class TcpHistograms {
    private static final int STATES = TcpState.values().length;
    private static final Filter OWNED = FilterParser.parse("owned");
    private static final Filter LISTENERS = new Filter.States(EnumSet.of(TcpState.LISTEN));

    private final TcpPlatform platform;

    public TcpHistograms(TcpPlatform platform) {
        if (platform == null) {
            throw new IllegalArgumentException("a platform is needed");
        }
        this.platform = platform;
    }

    /**
     * A count of sockets for one local port in one state.
     *
     * @param localPort the local port
     * @param state the state
     * @param count sockets on that port in that state, at least 1
     */
    public record PortCount(int localPort, TcpState state, long count) {
    }

    /**
     * A count of sockets for one remote address in one state.
     *
     * @param remoteAddress the remote address as {@code ss -n} prints it
     * @param state the state
     * @param count sockets to that address in that state, at least 1
     */
    public record AddressCount(String remoteAddress, TcpState state, long count) {
    }

    /**
     * Sockets matching the filter, counted per local port and state: ports ascending, states in
     * {@link TcpState} order, zero counts left out.
     */
    public List<PortCount> byLocalPort(Filter filter) {
        return byLocalPort(filter, Integer.MAX_VALUE);
    }

    /**
     * {@link #byLocalPort(Filter)}, counting at most {@code maxPorts} distinct ports.
     *
     * @throws TooManyKeys as soon as one more port shows up, so the counters stay bounded
     */
    public List<PortCount> byLocalPort(Filter filter, int maxPorts) {
        Map<Integer, long[]> counts = new TreeMap<>();
        platform.forEach(filter, false, c -> {
            long[] byState = counts.get(c.local().port());
            if (byState == null) {
                if (counts.size() >= maxPorts) {
                    throw new TooManyKeys(maxPorts);
                }
                byState = new long[STATES];
                counts.put(c.local().port(), byState);
            }
            byState[c.state().ordinal()]++;
        });
        List<PortCount> out = new ArrayList<>();
        counts.forEach((port, byState) -> {
            for (TcpState s : TcpState.values()) {
                if (byState[s.ordinal()] > 0) {
                    out.add(new PortCount(port, s, byState[s.ordinal()]));
                }
            }
        });
        return out;
    }

    /**
     * Sockets matching the filter, counted per remote address and state, for the {@code top}
     * addresses with the most sockets (ties by address text). Sockets without a peer (a wildcard
     * remote address: listeners, unconnected sockets) are left out.
     *
     * @param top how many addresses to keep; 0 or less keeps all
     * @return addresses by total count descending, each address's states in {@link TcpState} order,
     *     zero counts left out
     */
    public List<AddressCount> byRemoteAddress(Filter filter, int top) {
        return byRemoteAddress(filter, top, Integer.MAX_VALUE);
    }

    /**
     * {@link #byRemoteAddress(Filter, int)}, counting at most {@code maxAddresses} distinct addresses.
     *
     * @throws TooManyKeys as soon as one more address shows up, so the counters stay bounded
     */
    public List<AddressCount> byRemoteAddress(Filter filter, int top, int maxAddresses) {
        Map<String, long[]> counts = new HashMap<>();
        platform.forEach(filter, false, c -> {
            if (!c.remote().isWildcard()) {
                long[] byState = counts.get(c.remote().addressText());
                if (byState == null) {
                    if (counts.size() >= maxAddresses) {
                        throw new TooManyKeys(maxAddresses);
                    }
                    byState = new long[STATES];
                    counts.put(c.remote().addressText(), byState);
                }
                byState[c.state().ordinal()]++;
            }
        });
        List<Map.Entry<String, long[]>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -sum(e.getValue()))
                .thenComparing(Map.Entry::getKey));
        int keep = top <= 0 ? ranked.size() : Math.min(top, ranked.size());
        List<AddressCount> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : ranked.subList(0, keep)) {
            for (TcpState s : TcpState.values()) {
                long n = e.getValue()[s.ordinal()];
                if (n > 0) {
                    out.add(new AddressCount(e.getKey(), s, n));
                }
            }
        }
        return out;
    }

    /** A breakdown met more distinct ports or addresses than it was allowed to count. */
    public static final class TooManyKeys extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int limit;

        TooManyKeys(int limit) {
            super("more than " + limit + " distinct keys", null, false, false);
            this.limit = limit;
        }

        /** The most keys that were allowed. */
        public int limit() {
            return limit;
        }
    }

    /** The state histogram of this JVM's own sockets (filter {@code owned}). */
    public StateHistogram own() {
        return platform.histogram(OWNED);
    }

    /**
     * The host's histogram, this JVM's, and those of the lowest {@code portLimit} listening ports,
     * from one walk of the connection table. The listening ports are found first by a dump of
     * listeners only, which the kernel answers from its small listening hash without touching the
     * connections; a listener opened between the two is left out of this snapshot.
     */
    public TableSnapshot snapshot(int portLimit) {
        long timeMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        TreeSet<Integer> listening = new TreeSet<>();
        if (portLimit > 0) {
            platform.tally(LISTENERS, false, (state, port, owned) -> listening.add(port));
        }
        while (listening.size() > portLimit) {
            listening.pollLast();
        }
        int[] ports = listening.stream().mapToInt(Integer::intValue).toArray();
        long[][] byPort = new long[ports.length][STATES];
        long[] all = new long[STATES];
        long[] own = new long[STATES];
        platform.tally(Filter.ALL, true, (state, port, owned) -> {
            int s = state.ordinal();
            all[s]++;
            if (owned) {
                own[s]++;
            }
            // At most a hundred sorted ports: a binary search allocates nothing, unlike a boxed map key.
            int i = Arrays.binarySearch(ports, port);
            if (i >= 0) {
                byPort[i][s]++;
            }
        });
        SortedMap<Integer, StateHistogram> perPort = new TreeMap<>();
        for (int i = 0; i < ports.length; i++) {
            perPort.put(ports[i], StateHistogram.of(byPort[i]));
        }
        return new TableSnapshot(timeMillis, start, System.nanoTime() - start, StateHistogram.of(all), StateHistogram.of(own),
                perPort);
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}
