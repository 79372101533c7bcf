package org.tcpjmx.agent.origins;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Records made on the hot path and not handed on yet, in small batches striped by thread. A thread
 * adds to its stripe's batch without writing anything other threads write per record (a shared
 * queue's tail and a shared counter cost a contended cache line per socket), and hands its batch on
 * when it is full, while the sockets in it are still in its cache. A reader hands every batch on
 * first. Threads share a stripe only when their ids collide; a stripe's lock is then contended, never
 * wrong.
 *
 * <p>No ThreadLocal: a value left in an application thread's map after detach would keep the
 * agent's class loader reachable.
 *
 * @param <T> what is recorded
 */
final class RecordBatches<T> {
    /** Stripes; a power of two. */
    static final int STRIPES = 64;
    /** Records a stripe holds before its thread hands them on. */
    static final int BATCH = 64;

    /** One stripe's batch. The padding keeps two stripes' sizes, written by two threads, off one cache line. */
    @SuppressWarnings("unused")
    private static final class Stripe {
        final Object[] batch = new Object[BATCH];
        int size;
        long p0, p1, p2, p3, p4, p5, p6;
    }

    private final Stripe[] stripes = new Stripe[STRIPES];
    /** Counts batches begun (a first record in an empty stripe): a reader that saw the same count last time has nothing to hand on. */
    private final AtomicInteger begun = new AtomicInteger();
    private volatile int handedOnAt;
    private final Consumer<T> next;

    /** @param next takes each record handed on, in its stripe's order, with the stripe's lock held */
    RecordBatches(Consumer<T> next) {
        this.next = next;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /**
     * Adds a record to the calling thread's stripe, first handing on the stripe's batch when it is
     * full. The new record starts the next batch: in a connect+close loop the socket just opened is
     * the one still open, and it is closed by the time its own batch is handed on.
     *
     * @return whether a batch was handed on
     */
    boolean add(T record) {
        Stripe s = stripes[stripe(Thread.currentThread())];
        synchronized (s) {
            boolean full = s.size == BATCH;
            if (full) {
                handOn(s);
            }
            if (s.size == 0) {
                begun.incrementAndGet();
            }
            s.batch[s.size++] = record;
            return full;
        }
    }

    /**
     * Hands on every record added so far. Cheap when nothing was added since the last call: a row-by-row
     * reader calls it for each row.
     */
    void handOnAll() {
        // Read before handing on: a record added while the stripes are walked begins a batch after
        // this count, so the next call walks again.
        int count = begun.get();
        if (count == handedOnAt) {
            return;
        }
        for (Stripe s : stripes) {
            synchronized (s) {
                handOn(s);
            }
        }
        handedOnAt = count;
    }

    /** Forgets every record not handed on. */
    void clear() {
        for (Stripe s : stripes) {
            synchronized (s) {
                Arrays.fill(s.batch, 0, s.size, null);
                s.size = 0;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void handOn(Stripe s) {
        int n = s.size;
        s.size = 0;
        for (int i = 0; i < n; i++) {
            T r = (T) s.batch[i];
            s.batch[i] = null;
            next.accept(r);
        }
    }

    /** Spreads sequential thread ids over the stripes (Fibonacci hashing). */
    private static int stripe(Thread t) {
        @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
        long id = t.getId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(STRIPES)));
    }
}
