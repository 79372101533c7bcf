package org.tcpjmx.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * A short-lived shared {@link TableSnapshot}: readers arriving within {@link #maxAgeMillis()} of a
 * walk's start get that walk's figures, and readers arriving while a walk runs wait for it rather
 * than starting their own, so at most one walk runs at a time however many dashboards, scrapers and
 * JMX clients poll. With a maximum age of 0 nothing is shared: every call walks (concurrently, as
 * before the cache existed). Thread-safe.
 */
public final class TableSnapshots {
    /** The default maximum age, milliseconds: a scrape's several reads share one walk, a human sees fresh figures. */
    public static final long DEFAULT_MAX_AGE_MILLIS = 1000;
    /** The largest maximum age accepted, milliseconds. */
    public static final long MAX_MAX_AGE_MILLIS = 60_000;

    private final TcpHistograms histograms;
    private final int portLimit;
    private final LongSupplier nanoClock;
    private final Object lock = new Object();
    private volatile long maxAgeMillis = DEFAULT_MAX_AGE_MILLIS;
    /** The newest finished snapshot; guarded by {@code lock}. */
    private TableSnapshot latest;
    /** The walk under way, when sharing is on; guarded by {@code lock}. */
    private CompletableFuture<TableSnapshot> running;

    /**
     * @param histograms what walks the table
     * @param portLimit how many listening ports a snapshot breaks down (the lowest)
     */
    public TableSnapshots(TcpHistograms histograms, int portLimit) {
        this(histograms, portLimit, System::nanoTime);
    }

    TableSnapshots(TcpHistograms histograms, int portLimit, LongSupplier nanoClock) {
        if (histograms == null || portLimit < 0) {
            throw new IllegalArgumentException("snapshots need the histograms and a port limit of 0 or more, not " + portLimit);
        }
        this.histograms = histograms;
        this.portLimit = portLimit;
        this.nanoClock = nanoClock;
    }

    /** How old a snapshot may be and still be served, milliseconds; 0: not shared. */
    public long maxAgeMillis() {
        return maxAgeMillis;
    }

    /**
     * Sets the maximum age.
     *
     * @throws IllegalArgumentException outside 0 to {@value #MAX_MAX_AGE_MILLIS}
     */
    public void setMaxAgeMillis(long millis) {
        if (millis < 0 || millis > MAX_MAX_AGE_MILLIS) {
            throw new IllegalArgumentException("snapshot maximum age " + millis + " ms is outside 0 (no sharing) to "
                    + MAX_MAX_AGE_MILLIS);
        }
        maxAgeMillis = millis;
    }

    /**
     * A snapshot at most {@link #maxAgeMillis()} old when one is at hand, the one being taken when a
     * walk is under way, else a new one.
     *
     * @throws RuntimeException what the walk threw (every reader waiting on it gets the same)
     */
    public TableSnapshot get() {
        CompletableFuture<TableSnapshot> walk;
        boolean mine;
        synchronized (lock) {
            long max = maxAgeMillis;
            if (max == 0) {
                walk = null;
                mine = true;
            } else if (latest != null && latest.ageMillis(nanoClock.getAsLong()) <= max) {
                return latest;
            } else if (running != null) {
                walk = running;
                mine = false;
            } else {
                walk = new CompletableFuture<>();
                running = walk;
                mine = true;
            }
        }
        if (!mine) {
            return await(walk);
        }
        try {
            TableSnapshot s = histograms.snapshot(portLimit);
            synchronized (lock) {
                if (latest == null || s.startNanos() - latest.startNanos() > 0) {
                    latest = s;
                }
                if (running == walk) {
                    running = null;
                }
            }
            if (walk != null) {
                walk.complete(s);
            }
            return s;
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                if (walk != null && running == walk) {
                    running = null;
                }
            }
            if (walk != null) {
                walk.completeExceptionally(e);
            }
            throw e;
        }
    }

    /** The newest snapshot taken, without walking; null before the first. */
    public TableSnapshot latest() {
        synchronized (lock) {
            return latest;
        }
    }

    private static TableSnapshot await(CompletableFuture<TableSnapshot> walk) {
        try {
            // Bounded: a dump ends, or its netlink socket's receive timeout ends it.
            return walk.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
