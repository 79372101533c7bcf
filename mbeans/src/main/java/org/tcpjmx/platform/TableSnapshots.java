package org.tcpjmx.platform;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * A short-lived shared {@link TableSnapshot}: readers arriving within {@link #maxAgeMillis()} of a
 * walk's start get that walk's figures, and readers arriving while a walk runs wait for it rather
 * than starting their own, so at most one walk runs at a time however many dashboards, scrapers and
 * JMX clients poll. With a maximum age of 0 nothing is shared: every call walks (concurrently, as
 * before the cache existed). Thread-safe.
 *
 * <p>A walk costs the host about a microsecond of CPU per socket, most of it in the kernel: a second
 * at a million sockets. So that polling cannot cost the service more than a bounded share of a core
 * however often it comes, a snapshot is also served for as long as its walk's CPU time, spread over
 * that time, stays within the walk budget ({@link #walkBudgetPercent()}, default
 * {@value #DEFAULT_WALK_BUDGET_PERCENT}% of one core): a walk that took 1 s of CPU is served for
 * 50 s at 2%. A small table walks for every reader past the maximum age as before; a huge one is
 * walked at most that often, and its readers see the age ({@link TableSnapshot#ageMillis}).
 * The served age never exceeds {@value #MAX_MAX_AGE_MILLIS} ms.
 */
public final class TableSnapshots {
    /** The default maximum age, milliseconds: a scrape's several reads share one walk, a human sees fresh figures. */
    public static final long DEFAULT_MAX_AGE_MILLIS = 1000;
    /** The largest maximum age accepted, milliseconds; also the longest the walk budget stretches it. */
    public static final long MAX_MAX_AGE_MILLIS = 60_000;
    /** The default walk budget: shared walks use at most this share of one core, percent. */
    public static final int DEFAULT_WALK_BUDGET_PERCENT = 2;
    /** The largest walk budget accepted, percent of one core. */
    public static final int MAX_WALK_BUDGET_PERCENT = 100;

    private final TcpHistograms histograms;
    private final int portLimit;
    private final LongSupplier nanoClock;
    private final LongSupplier cpuClock;
    private final Object lock = new Object();
    private volatile long maxAgeMillis = DEFAULT_MAX_AGE_MILLIS;
    private volatile int walkBudgetPercent = DEFAULT_WALK_BUDGET_PERCENT;
    /** CPU time of the newest walk, nanoseconds (wall time where the JVM measures no thread CPU). */
    private volatile long lastWalkCpuNanos;
    /** The newest finished snapshot; guarded by {@code lock}. */
    private TableSnapshot latest;
    /** The walk under way, when sharing is on; guarded by {@code lock}. */
    private CompletableFuture<TableSnapshot> running;

    /**
     * @param histograms what walks the table
     * @param portLimit how many listening ports a snapshot breaks down (the lowest)
     */
    public TableSnapshots(TcpHistograms histograms, int portLimit) {
        this(histograms, portLimit, System::nanoTime, threadCpuClock());
    }

    /** With given clocks: {@link System#nanoTime()}-like for ages, and the calling thread's CPU time. */
    TableSnapshots(TcpHistograms histograms, int portLimit, LongSupplier nanoClock, LongSupplier cpuClock) {
        if (histograms == null || portLimit < 0) {
            throw new IllegalArgumentException("snapshots need the histograms and a port limit of 0 or more, not " + portLimit);
        }
        this.histograms = histograms;
        this.portLimit = portLimit;
        this.nanoClock = nanoClock;
        this.cpuClock = cpuClock;
    }

    /** The calling thread's CPU time, nanoseconds, where the JVM measures it (Linux does), else the wall clock. */
    public static LongSupplier threadCpuClock() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads.isCurrentThreadCpuTimeSupported()) {
            try {
                threads.getCurrentThreadCpuTime();
                return threads::getCurrentThreadCpuTime;
            } catch (UnsupportedOperationException e) {
                // Switched off in this JVM (ThreadCpuTimeEnabled false): time walks by the wall clock.
            }
        }
        return System::nanoTime;
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

    /** The share of one core shared walks may use, percent; 0: no budget, only the maximum age counts. */
    public int walkBudgetPercent() {
        return walkBudgetPercent;
    }

    /**
     * Sets the walk budget.
     *
     * @throws IllegalArgumentException outside 0 to {@value #MAX_WALK_BUDGET_PERCENT}
     */
    public void setWalkBudgetPercent(long percent) {
        if (percent < 0 || percent > MAX_WALK_BUDGET_PERCENT) {
            throw new IllegalArgumentException("walk budget " + percent + "% is outside 0 (no budget) to "
                    + MAX_WALK_BUDGET_PERCENT + "% of one core");
        }
        walkBudgetPercent = (int) percent;
    }

    /**
     * How old a snapshot may be now and still be served, milliseconds: the maximum age, or longer
     * when the newest walk's CPU time would exceed the walk budget if walked again sooner; at most
     * {@value #MAX_MAX_AGE_MILLIS}. 0 when sharing is off.
     */
    public long servedAgeMillis() {
        long max = maxAgeMillis;
        int budget = walkBudgetPercent;
        if (max == 0 || budget == 0) {
            return max;
        }
        return Math.max(max, budgetSpacingMillis(lastWalkCpuNanos, budget));
    }

    /**
     * How far apart walks that each cost {@code cpuNanos} must be to stay within {@code budgetPercent}
     * of one core, milliseconds, at most {@value #MAX_MAX_AGE_MILLIS}.
     *
     * @param budgetPercent more than 0
     */
    public static long budgetSpacingMillis(long cpuNanos, int budgetPercent) {
        return Math.min(cpuNanos / 1_000_000 * 100 / budgetPercent, MAX_MAX_AGE_MILLIS);
    }

    /**
     * A snapshot at most {@link #servedAgeMillis()} old when one is at hand, the one being taken when a
     * walk is under way, else a new one.
     *
     * @throws RuntimeException what the walk threw (every reader waiting on it gets the same)
     */
    public TableSnapshot get() {
        CompletableFuture<TableSnapshot> walk;
        boolean mine;
        synchronized (lock) {
            long max = servedAgeMillis();
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
            long cpu = cpuClock.getAsLong();
            TableSnapshot s = histograms.snapshot(portLimit);
            lastWalkCpuNanos = Math.max(0, cpuClock.getAsLong() - cpu);
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
