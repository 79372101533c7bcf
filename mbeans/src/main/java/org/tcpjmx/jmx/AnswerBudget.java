package org.tcpjmx.jmx;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How much of the host's heap the answers of tcpjmx may hold at once, and how many heavy
 * (row-producing) requests may run at once. Every request that builds rows reserves
 * {@code rows × bytes per row} here before it builds them; one whose answer could never fit is
 * refused with a message saying how many rows matched, the budget, and how to narrow or page;
 * one that would fit later waits up to {@link #WAIT_MILLIS} and is then refused as busy.
 *
 * <p>A reservation lasts until the answer has left the JVM. The MBean cannot see that moment
 * (Jolokia and RMI serialize after the call returns), so a transport that can opens a
 * {@link #requestScope()} around the whole request, serialization included: reservations taken on
 * that thread are released when the scope closes. Without a scope (RMI, in-process callers) a
 * reservation ends when the call returns.
 */
public final class AnswerBudget {
    /** The most the default budget grows to, whatever the heap. */
    public static final long CEILING_BYTES = 64L << 20;
    /** The default budget's share of the host's max heap, in percent. */
    public static final int HEAP_PERCENT = 10;
    /** The smallest budget accepted: a few rows of the widest kind. */
    public static final long MIN_BYTES = 64L << 10;
    /** Requests with big answers (over a sixteenth of the budget) at once; more wait, then are refused as busy. */
    public static final int HEAVY_REQUESTS = 2;
    /** How long a heavy request waits for a turn or for budget before it is refused as busy. */
    public static final long WAIT_MILLIS = 5_000;

    private static final ThreadLocal<List<Reservation>> SCOPE = new ThreadLocal<>();

    private final long bytes;
    private final long waitMillis;
    private final Semaphore heavy = new Semaphore(HEAVY_REQUESTS, true);
    private long reserved;

    AnswerBudget(long bytes, long waitMillis) {
        this.bytes = bytes;
        this.waitMillis = waitMillis;
    }

    /** {@value #HEAP_PERCENT}% of this JVM's max heap, at most {@link #CEILING_BYTES}. */
    public static AnswerBudget defaults() {
        return of(defaultBytes(Runtime.getRuntime().maxMemory()));
    }

    /** The default budget for a max heap of this size. */
    public static long defaultBytes(long maxHeap) {
        return Math.max(MIN_BYTES, Math.min(CEILING_BYTES, maxHeap / 100 * HEAP_PERCENT));
    }

    /**
     * A budget of this many bytes.
     *
     * @throws IllegalArgumentException below {@link #MIN_BYTES}
     */
    public static AnswerBudget of(long bytes) {
        if (bytes < MIN_BYTES) {
            throw new IllegalArgumentException("an answer budget of " + size(bytes) + " is too small; give at least "
                    + size(MIN_BYTES));
        }
        return new AnswerBudget(bytes, WAIT_MILLIS);
    }

    /** The budget, bytes. */
    public long bytes() {
        return bytes;
    }

    /** How many rows of this size fit in the whole budget. */
    public long rowsFitting(long bytesPerRow) {
        return bytes / bytesPerRow;
    }

    /** Bytes reserved now (for the MBean and tests). */
    public synchronized long reservedBytes() {
        return reserved;
    }

    /**
     * Opens a request's account with the budget. Close it when the rows are built; the bytes it
     * reserved stay reserved until the request scope (if any) ends.
     *
     * @param what the request, for the messages ("query", "Connections")
     */
    Turn turn(String what) {
        return new Turn(what);
    }

    /**
     * One request's account: the bytes it reserved and, once it reserves more than a sixteenth of
     * the budget (a heavy request), one of the {@value #HEAVY_REQUESTS} turns. Small answers (a
     * filtered query of a few rows) never wait for a turn.
     */
    final class Turn implements AutoCloseable {
        private final String what;
        private final List<Reservation> mine = new ArrayList<>();
        private boolean heavyTurn;
        private boolean closed;

        private Turn(String what) {
            this.what = what;
        }

        /**
         * Reserves room for {@code rows} rows of {@code bytesPerRow} each, and {@code extraRows} more
         * (room for churn, already clipped to the budget by the caller).
         *
         * @param matched what to tell the user about the rows, e.g. "100000 sockets match 'state established'"
         * @param narrow how to get a smaller answer, the end of the refusal's message
         * @throws IllegalArgumentException when the rows can never fit the budget
         * @throws RejectedExecutionException when they would fit but other answers hold the room too long (busy)
         */
        void reserve(long rows, long extraRows, long bytesPerRow, String matched, String narrow) {
            long asked = Math.multiplyExact(Math.max(0, rows), bytesPerRow);
            if (asked > bytes) {
                throw new IllegalArgumentException(what + ": " + matched + "; " + rows + " rows would take about "
                        + size(asked) + ", over the answer budget of " + size(bytes) + " (agent option answerBudget=; "
                        + rowsFitting(bytesPerRow) + " rows of this kind fit). " + narrow);
            }
            long need = Math.min(bytes, asked + Math.multiplyExact(Math.max(0, extraRows), bytesPerRow));
            if (!heavyTurn && need > bytes / 16) {
                try {
                    if (!heavy.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                        throw busy(what, HEAVY_REQUESTS + " requests with big answers are running");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(what + " was interrupted while waiting for its turn");
                }
                heavyTurn = true;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            synchronized (AnswerBudget.this) {
                while (reserved + need > bytes) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw busy(what, "other answers hold " + size(reserved) + " of the " + size(bytes)
                                + " answer budget and this one needs " + size(need));
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(AnswerBudget.this, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(what + " was interrupted while waiting for answer budget");
                    }
                }
                reserved += need;
            }
            mine.add(new Reservation(need));
        }

        /** Gives back what this turn reserved beyond {@code rows} rows of {@code bytesPerRow}. */
        void shrink(long rows, long bytesPerRow) {
            long keep = rows * bytesPerRow;
            long held = 0;
            for (Reservation r : mine) {
                held += r.need;
            }
            if (held > keep) {
                synchronized (AnswerBudget.this) {
                    reserved -= held - keep;
                    AnswerBudget.this.notifyAll();
                }
                mine.clear();
                mine.add(new Reservation(keep));
            }
        }

        /** Ends the turn; the bytes go back now, or when the request scope on this thread ends. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (heavyTurn) {
                heavy.release();
            }
            List<Reservation> scope = SCOPE.get();
            if (scope != null) {
                scope.addAll(mine);
            } else {
                mine.forEach(Reservation::release);
            }
        }
    }

    private final class Reservation {
        private final long need;

        Reservation(long need) {
            this.need = need;
        }

        void release() {
            synchronized (AnswerBudget.this) {
                reserved -= need;
                AnswerBudget.this.notifyAll();
            }
        }
    }

    /** A request in flight on this thread, its answer included; see the class comment. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Opens a request scope on this thread: answer bytes reserved until it closes stay reserved
     * until then. Scopes nest; only the outermost releases.
     */
    public static Scope requestScope() {
        if (SCOPE.get() != null) {
            return () -> { };
        }
        List<Reservation> held = new ArrayList<>();
        SCOPE.set(held);
        return () -> {
            SCOPE.remove();
            held.forEach(Reservation::release);
        };
    }

    /** A JDK type, so a client without our classes reads it; OpenMBeanBase passes it on without a trace in the log. */
    private RejectedExecutionException busy(String what, String why) {
        return new RejectedExecutionException("busy: " + what + " waited " + waitMillis + " ms and was refused: " + why
                + "; try again shortly, or ask for fewer rows");
    }

    /** {@code 12.8 MiB}, {@code 512 KiB}: sizes as people read them. */
    static String size(long b) {
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%d KiB", b >> 10);
    }

    @Override
    public String toString() {
        return size(bytes);
    }
}
