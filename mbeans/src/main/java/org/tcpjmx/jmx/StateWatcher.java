package org.tcpjmx.jmx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TableSnapshot;
import org.tcpjmx.platform.TableSnapshots;
import org.tcpjmx.platform.TcpPlatform;

/**
 * Samples the TCP table on an interval, while there is something to watch: reports when a watched
 * count crosses its threshold (either way), and remembers when each socket was first seen.
 *
 * <p>The sampling thread, {@value #THREAD_NAME}, is a daemon that exists only while a threshold is
 * set or first-seen tracking is on; it ends when both are off again and on {@link #close()}.
 * First-seen times are kept only for the sockets of the last sample (by cookie on netlink, by
 * 4-tuple on /proc), so memory follows the size of the table, not its history.
 *
 * <p>A sample walks as little as it can: where a reader took a snapshot within the last interval
 * (a scrape, a dashboard), its counts serve; otherwise both CLOSE_WAIT watches share one dump the
 * kernel filters by state.
 *
 * <p>Its own walks keep to the walk budget that shared snapshots keep ({@code WalkBudgetPercent}):
 * after a sample that cost C of the thread's CPU, the next one waits at least C spread over the
 * budget, never longer than {@value #MAX_SERVED_INTERVAL_MILLIS} ms. At a million sockets a sample
 * then comes every ten seconds or so instead of every five; {@link #servedIntervalMillis()} shows it.
 */
final class StateWatcher implements AutoCloseable {
    static final String THREAD_NAME = "tcpjmx-watcher";
    static final long DEFAULT_INTERVAL_MILLIS = 5_000;
    static final long MIN_INTERVAL_MILLIS = 100;
    static final long MAX_INTERVAL_MILLIS = 3_600_000;
    private static final Logger LOG = LoggerFactory.getLogger(StateWatcher.class);
    private static final long JOIN_MILLIS = 10_000;
    /** The longest the walk budget stretches the interval, milliseconds: as long as it stretches a snapshot's age. */
    static final long MAX_SERVED_INTERVAL_MILLIS = TableSnapshots.MAX_MAX_AGE_MILLIS;

    /**
     * A count that can be watched, with the attribute prefix that sets its threshold. {@code what}
     * names the sockets; {@code what} alone opens the threshold attribute's description, where it
     * has to be short, and log lines and notifications add the reason in parentheses.
     */
    enum Watch {
        OWN_CLOSE_WAIT("OwnCloseWait", TcpState.CLOSE_WAIT, "owned and state close-wait",
                "this JVM's CLOSE_WAIT sockets", "the peer closed, the application never did: a socket leak"),
        CLOSE_WAIT("CloseWait", TcpState.CLOSE_WAIT, "state close-wait", "CLOSE_WAIT sockets on the host", ""),
        TIME_WAIT("TimeWait", TcpState.TIME_WAIT, "state time-wait", "TIME_WAIT sockets on the host", "");

        final String name;
        final TcpState state;
        final Filter filter;
        final String what;
        final String why;

        Watch(String name, TcpState state, String filter, String what, String why) {
            this.name = name;
            this.state = state;
            this.filter = FilterParser.parse(filter);
            this.what = what;
            this.why = why;
        }

        /** {@code what}, with {@code why} in parentheses where there is one. */
        String described() {
            return why.isEmpty() ? what : what + " (" + why + ")";
        }
    }

    /** Told when a count crosses a threshold; called on the watcher thread, never under its lock. */
    interface Listener {
        void crossed(Watch watch, long count, long threshold, boolean upward);
    }

    private record FirstSeen(Map<Long, Long> byCookie, Map<String, Long> byTuple) {
        static final FirstSeen EMPTY = new FirstSeen(Map.of(), Map.of());
    }

    private record Crossing(Watch watch, long count, long threshold, boolean upward) {
    }

    private final TcpPlatform platform;
    private final Listener listener;
    private final Object lock = new Object();
    // Guarded by lock.
    private final long[] thresholds = new long[Watch.values().length];
    private final boolean[] above = new boolean[Watch.values().length];
    private long intervalMillis = DEFAULT_INTERVAL_MILLIS;
    private boolean trackFirstSeen;
    /** When a threshold was last set: a snapshot older than that does not judge it. */
    private long thresholdSetNanos = System.nanoTime();
    private boolean closed;
    private boolean wake;
    private Thread thread;
    // Written by the watcher thread only.
    private volatile FirstSeen firstSeen = FirstSeen.EMPTY;
    private volatile long lastSampleMillis = -1;
    private boolean failing;

    private final Supplier<TableSnapshot> snapshots;
    private final IntSupplier budgetPercent;
    private final LongSupplier cpuClock;
    /** The CPU time of the last sample, nanoseconds: with the budget, how far apart samples must be. */
    private volatile long lastSampleCpuNanos;

    /**
     * @param snapshots the newest snapshot readers took, or null: a sample uses it when it is younger
     *     than the interval
     * @param budgetPercent the share of one core the watcher's own walks may use, percent; 0: none,
     *     the interval alone counts
     * @param cpuClock the calling thread's CPU time, nanoseconds
     */
    StateWatcher(TcpPlatform platform, Listener listener, Supplier<TableSnapshot> snapshots, IntSupplier budgetPercent,
            LongSupplier cpuClock) {
        this.platform = platform;
        this.listener = listener;
        this.snapshots = snapshots;
        this.budgetPercent = budgetPercent;
        this.cpuClock = cpuClock;
    }

    /**
     * How far apart samples are now, milliseconds: the interval, or longer where the last sample's
     * CPU time, repeated that often, would exceed the walk budget; at most {@value #MAX_SERVED_INTERVAL_MILLIS}
     * (or the interval, when that is longer).
     */
    long servedIntervalMillis() {
        long interval = intervalMillis();
        int budget = budgetPercent.getAsInt();
        if (budget <= 0) {
            return interval;
        }
        return Math.max(interval, TableSnapshots.budgetSpacingMillis(lastSampleCpuNanos, budget));
    }

    long threshold(Watch w) {
        synchronized (lock) {
            return thresholds[w.ordinal()];
        }
    }

    /** Sets a threshold; 0 or negative turns the watch off. The next sample reports a count already above it. */
    void setThreshold(Watch w, long threshold) {
        synchronized (lock) {
            thresholds[w.ordinal()] = Math.max(0, threshold);
            above[w.ordinal()] = false;
            thresholdSetNanos = System.nanoTime();
            reconfigure();
        }
    }

    long intervalMillis() {
        synchronized (lock) {
            return intervalMillis;
        }
    }

    void setIntervalMillis(long millis) {
        if (millis < MIN_INTERVAL_MILLIS || millis > MAX_INTERVAL_MILLIS) {
            throw new IllegalArgumentException("SampleIntervalMillis " + millis + " is out of range "
                    + MIN_INTERVAL_MILLIS + "-" + MAX_INTERVAL_MILLIS);
        }
        synchronized (lock) {
            intervalMillis = millis;
            reconfigure();
        }
    }

    boolean trackFirstSeen() {
        synchronized (lock) {
            return trackFirstSeen;
        }
    }

    void setTrackFirstSeen(boolean on) {
        synchronized (lock) {
            trackFirstSeen = on;
            reconfigure();
        }
    }

    /** Whether the sampling thread is alive. */
    boolean running() {
        synchronized (lock) {
            return thread != null;
        }
    }

    /** When the last sample finished (epoch milliseconds), or -1 before the first. */
    long lastSampleMillis() {
        return lastSampleMillis;
    }

    /** When the watcher first saw the socket (epoch milliseconds), or -1 when it has not. */
    long firstSeen(TcpConnection c) {
        FirstSeen f = firstSeen;
        Long t = c.hasCookie() ? f.byCookie().get(c.cookie()) : f.byTuple().get(tuple(c));
        return t == null ? ConnectionRows.UNKNOWN : t;
    }

    /** Stops the thread (waiting for a sample in progress) and refuses to start another. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("{} did not stop within {} ms (a kernel dump still running?)", THREAD_NAME, JOIN_MILLIS);
            }
        }
        firstSeen = FirstSeen.EMPTY;
    }

    private boolean needed() {
        if (trackFirstSeen) {
            return true;
        }
        for (long t : thresholds) {
            if (t > 0) {
                return true;
            }
        }
        return false;
    }

    /** Under lock: wakes the thread to sample now, or starts it when there is something to watch. */
    private void reconfigure() {
        wake = true;
        lock.notifyAll();
        if (!closed && thread == null && needed()) {
            Thread t = new Thread(this::run, THREAD_NAME);
            t.setDaemon(true);
            // Never pin the application's class loader from an agent-loaded thread.
            t.setContextClassLoader(StateWatcher.class.getClassLoader());
            thread = t;
            t.start();
        }
    }

    private void run() {
        try {
            while (true) {
                synchronized (lock) {
                    wake = false;
                    if (closed || !needed()) {
                        thread = null;
                        if (!trackFirstSeen) {
                            firstSeen = FirstSeen.EMPTY;
                        }
                        return;
                    }
                }
                sampleOnce();
                long served = servedIntervalMillis();
                synchronized (lock) {
                    long deadline = System.nanoTime() + served * 1_000_000L;
                    while (!closed && !wake && needed()) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        lock.wait(Math.max(1, left / 1_000_000L));
                    }
                }
            }
        } catch (InterruptedException e) {
            synchronized (lock) {
                thread = null;
            }
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                thread = null;
            }
            LOG.error("{} stopped by an unexpected failure", THREAD_NAME, e);
        }
    }

    private void sampleOnce() {
        long cpu0 = cpuClock.getAsLong();
        long[] th;
        boolean track;
        synchronized (lock) {
            th = thresholds.clone();
            track = trackFirstSeen;
        }
        List<Crossing> crossings = new ArrayList<>();
        boolean ok = true;
        TableSnapshot recent = recentSnapshot();
        long[] closeWait = null;
        for (Watch w : Watch.values()) {
            int i = w.ordinal();
            if (th[i] <= 0) {
                continue;
            }
            long count;
            try {
                if (recent != null) {
                    count = (w == Watch.OWN_CLOSE_WAIT ? recent.own() : recent.all()).count(w.state);
                } else if (w.state == TcpState.CLOSE_WAIT) {
                    if (closeWait == null) {
                        closeWait = countCloseWait(th[Watch.OWN_CLOSE_WAIT.ordinal()] > 0);
                    }
                    count = closeWait[w == Watch.OWN_CLOSE_WAIT ? 1 : 0];
                } else {
                    count = platform.histogram(w.filter).count(w.state);
                }
            } catch (RuntimeException e) {
                ok = false;
                reportFailure("counting " + w.described(), e);
                continue;
            }
            synchronized (lock) {
                if (thresholds[i] != th[i]) {
                    continue; // changed while counting: the next sample judges against the new value
                }
                if (!above[i] && count > th[i]) {
                    above[i] = true;
                    crossings.add(new Crossing(w, count, th[i], true));
                } else if (above[i] && count <= th[i]) {
                    above[i] = false;
                    crossings.add(new Crossing(w, count, th[i], false));
                }
            }
        }
        if (track) {
            try {
                recordFirstSeen();
            } catch (RuntimeException e) {
                ok = false;
                reportFailure("recording first-seen times", e);
            }
        } else {
            firstSeen = FirstSeen.EMPTY;
        }
        if (ok && failing) {
            failing = false;
            LOG.info("{} samples again", THREAD_NAME);
        }
        // Before the sample shows as done: whoever sees it done sees what it cost.
        lastSampleCpuNanos = Math.max(0, cpuClock.getAsLong() - cpu0);
        lastSampleMillis = System.currentTimeMillis();
        for (Crossing c : crossings) {
            try {
                listener.crossed(c.watch(), c.count(), c.threshold(), c.upward());
            } catch (RuntimeException e) {
                LOG.warn("sending the {} threshold notification failed", c.watch().name, e);
            }
        }
    }

    /** A snapshot a reader took within the last interval and since a threshold was last set, or null. */
    private TableSnapshot recentSnapshot() {
        TableSnapshot s = snapshots.get();
        long setAt;
        synchronized (lock) {
            setAt = thresholdSetNanos;
        }
        long interval = servedIntervalMillis();
        return s != null && s.startNanos() - setAt > 0 && s.ageMillis(System.nanoTime()) < interval ? s : null;
    }

    /** The host's CLOSE_WAIT sockets and, when asked, this JVM's: {all, own}, from one dump. */
    private long[] countCloseWait(boolean withOwned) {
        long[] n = new long[2];
        platform.tally(Watch.CLOSE_WAIT.filter, withOwned, (state, port, owned) -> {
            n[0]++;
            if (owned) {
                n[1]++;
            }
        });
        return n;
    }

    private void recordFirstSeen() {
        long now = System.currentTimeMillis();
        FirstSeen old = firstSeen;
        Map<Long, Long> byCookie = new HashMap<>();
        Map<String, Long> byTuple = new HashMap<>();
        platform.forEach(Filter.ALL, false, c -> {
            if (c.hasCookie()) {
                byCookie.put(c.cookie(), old.byCookie().getOrDefault(c.cookie(), now));
            } else {
                String key = tuple(c);
                byTuple.put(key, old.byTuple().getOrDefault(key, now));
            }
        });
        firstSeen = new FirstSeen(Collections.unmodifiableMap(byCookie), Collections.unmodifiableMap(byTuple));
    }

    private void reportFailure(String what, RuntimeException e) {
        if (!failing) {
            failing = true;
            LOG.warn("{}: {} failed; retrying every sample, further failures logged at debug", THREAD_NAME, what, e);
        } else {
            LOG.debug("{}: {} failed again: {}", THREAD_NAME, what, e.toString());
        }
    }

    private static String tuple(TcpConnection c) {
        return c.local() + " " + c.remote();
    }
}
