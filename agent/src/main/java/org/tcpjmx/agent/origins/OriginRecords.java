package org.tcpjmx.agent.origins;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.tcpjmx.jmx.OriginLookup;
import org.tcpjmx.model.SocketOrigin;
import org.tcpjmx.model.TcpConnection;

/**
 * The recorded origins of this JVM's sockets, keyed by 4-tuple, each holding its socket object
 * weakly. A record counts only while that object is alive and open: the kernel never has two open
 * sockets with one 4-tuple, so a reused 4-tuple (or fd) belongs to a socket whose predecessor was
 * closed first, and the predecessor's record is dead by then (and replaced when the new one is
 * recorded). Dead records go when a read finds them, and in sweeps at least every
 * {@value #SWEEP_EVERY} records or when the cap is reached. At most {@code cap} records; past it
 * a socket gets no record and is counted in {@link #notRecorded()}.
 */
final class OriginRecords implements OriginLookup, Consumer<Object> {
    /** Records kept at most unless the agent says otherwise. */
    static final int DEFAULT_CAP = 100_000;
    private static final int SWEEP_EVERY = 4096;
    private static final long SWEEP_PAUSE_NANOS = 1_000_000_000L;

    /** A plain class, compared by identity (see {@link SocketKey} on records' invokedynamic methods). */
    private static final class Recorded {
        private final WeakReference<Object> socket;
        private final SocketOrigin origin;

        Recorded(WeakReference<Object> socket, SocketOrigin origin) {
            this.socket = socket;
            this.origin = origin;
        }

        WeakReference<Object> socket() {
            return socket;
        }

        SocketOrigin origin() {
            return origin;
        }
    }

    private final Map<SocketKey, Recorded> records = new ConcurrentHashMap<>();
    /**
     * Non-blocking and asynchronous connects still under way, with where they were asked for: the
     * selector or event thread that finishes them has no application frame (Netty's NIO event loop,
     * the JDK's async handler threads). Weak keys: an abandoned connect leaves nothing behind.
     */
    private final Map<Object, SocketOrigin> pending = Collections.synchronizedMap(new WeakHashMap<>());
    private final int cap;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong notRecorded = new AtomicLong();
    private volatile boolean tracking;
    private volatile long lastSweep = System.nanoTime() - SWEEP_PAUSE_NANOS;

    OriginRecords(int cap) {
        this.cap = cap;
    }

    /** Called through the hook as a connect or accept returns. */
    @Override
    public void accept(Object socket) {
        if (!tracking) {
            return;
        }
        Optional<SocketKey> key = SocketKey.of(socket);
        if (key.isEmpty()) {
            if (!SocketKey.pending(socket) || pending.size() >= cap) {
                return;
            }
            pending.put(socket, capture());
            // The handler thread may have finished the connect meanwhile, before the stash was there to take.
            key = SocketKey.of(socket);
            if (key.isEmpty()) {
                return;
            }
        }
        long n = recorded.incrementAndGet();
        if (records.size() >= cap || n % SWEEP_EVERY == 0) {
            sweep();
        }
        if (records.size() >= cap && !records.containsKey(key.get())) {
            notRecorded.incrementAndGet();
            return;
        }
        SocketOrigin asked = pending.isEmpty() ? null : pending.remove(socket);
        SocketOrigin origin = asked != null ? asked : capture();
        Recorded old = records.get(key.get());
        // One socket can pass two hooks (an async connect completes on the handler thread while the
        // caller is still returning from implConnect): the record with application frames wins.
        if (old != null && old.socket().get() == socket && (StackCapture.isApplication(old.origin().origin())
                || !StackCapture.isApplication(origin.origin()))) {
            return;
        }
        records.put(key.get(), new Recorded(new WeakReference<>(socket), origin));
    }

    private static SocketOrigin capture() {
        List<String> stack = StackCapture.here();
        return new SocketOrigin(stack.isEmpty() ? "" : stack.get(0), stack, Thread.currentThread().getName(), System.currentTimeMillis());
    }

    @Override
    public Optional<SocketOrigin> originOf(TcpConnection connection) {
        if (records.isEmpty()) {
            return Optional.empty();
        }
        SocketKey key = SocketKey.of(connection);
        Recorded r = records.get(key);
        if (r == null) {
            return Optional.empty();
        }
        Object s = r.socket().get();
        if (s == null || !SocketKey.open(s)) {
            records.remove(key, r);
            return Optional.empty();
        }
        return Optional.of(r.origin());
    }

    @Override
    public boolean tracking() {
        return tracking;
    }

    @Override
    public String describe() {
        return (tracking ? "origin tracking on" : "origin tracking off") + ": " + records.size() + " records (cap " + cap + ")"
                + (notRecorded.get() > 0 ? ", " + notRecorded.get() + " sockets not recorded because the cap was reached" : "");
    }

    void tracking(boolean on) {
        tracking = on;
    }

    int size() {
        return records.size();
    }

    long notRecorded() {
        return notRecorded.get();
    }

    int cap() {
        return cap;
    }

    /** Forgets every record (tracking switched off: the origins would go stale unseen). */
    void clear() {
        records.clear();
        pending.clear();
    }

    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweep < SWEEP_PAUSE_NANOS) {
            return;
        }
        lastSweep = now;
        records.entrySet().removeIf(e -> {
            Object s = e.getValue().socket().get();
            return s == null || !SocketKey.open(s);
        });
    }
}
