package org.tcpjmx.agent.origins;

import java.lang.ref.WeakReference;
import java.net.Socket;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.tcpjmx.jmx.OriginLookup;
import org.tcpjmx.model.SocketOrigin;
import org.tcpjmx.model.TcpConnection;

/**
 * The recorded origins of this JVM's sockets, keyed by 4-tuple, each holding its socket object
 * weakly. A record counts only while that object is alive and open: the kernel never has two open
 * sockets with one 4-tuple, so a reused 4-tuple (or fd) belongs to a socket whose predecessor was
 * closed first, and the predecessor's record is dead by then (and replaced when the new one is
 * recorded). A new record is only queued (its stack as walked, no 4-tuple yet); reads and every
 * {@value #SWEEP_EVERY} records key the queued ones still open. Dead records go when a read finds
 * them, and in sweeps (at most once a second) as the queue is keyed or when the cap is reached. At
 * most {@code cap} records, queued ones included; past it a socket gets no record and is counted in
 * {@link #notRecorded()}.
 */
final class OriginRecords implements OriginLookup, BiConsumer<Object, Object> {
    /** Records kept at most unless the agent says otherwise. */
    static final int DEFAULT_CAP = 100_000;
    private static final int SWEEP_EVERY = 4096;
    private static final long SWEEP_PAUSE_NANOS = 1_000_000_000L;

    /**
     * One socket's record as made on its hot path: the socket held weakly, the kept frames untouched
     * (shared with the other sockets of its site, {@link SiteStacks}), the thread's name and the time.
     * The {@link SocketOrigin} (frame text) is made on the first read, so a socket nobody asks about
     * never pays for it. A plain class, compared by identity (see {@link SocketKey} on records'
     * invokedynamic methods); the weak reference itself, one object less per socket.
     */
    private static final class Recorded extends WeakReference<Object> {
        private final StackCapture.Frames frames;
        private final String thread;
        private final long openedMillis;
        private volatile SocketOrigin origin;

        Recorded(Object socket, StackCapture.Frames frames) {
            this(socket, frames, Thread.currentThread().getName());
        }

        Recorded(Object socket, StackCapture.Frames frames, String thread) {
            super(socket);
            this.frames = frames;
            this.thread = thread;
            this.openedMillis = System.currentTimeMillis();
        }

        boolean application() {
            return frames.application();
        }

        SocketOrigin origin() {
            SocketOrigin o = origin;
            if (o == null) {
                List<String> stack = frames.text();
                o = new SocketOrigin(stack.isEmpty() ? "" : stack.get(0), stack, thread, openedMillis);
                origin = o;
            }
            return o;
        }
    }

    private final Map<SocketKey, Recorded> records = new ConcurrentHashMap<>();
    /**
     * Records not keyed yet, oldest first. Reading a socket's 4-tuple costs a system call
     * (getsockname) and most sockets are closed before anyone asks, so the hot path only queues; a
     * read, or the queue reaching {@value #SWEEP_EVERY}, keys the ones still open and drops the rest.
     */
    private final Queue<Recorded> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedCount = new AtomicInteger();
    /** One drainer at a time, so records are keyed in the order they were made (a newer one replaces an older). */
    private final ReentrantLock draining = new ReentrantLock();
    /**
     * Non-blocking and asynchronous connects still under way, with where they were asked for: the
     * selector or event thread that finishes them has no application frame (Netty's NIO event loop,
     * the JDK's async handler threads). Weak keys: an abandoned connect leaves nothing behind.
     */
    private final Map<Object, Recorded> pending = Collections.synchronizedMap(new WeakHashMap<>());
    /**
     * Asynchronous servers with an accept asked for, with the frames and thread that asked: a JDK
     * handler thread completes a pending accept, with no application frame on its stack. A server
     * has at most one accept pending (AcceptPendingException), so one entry each; weak keys.
     */
    private final Map<Object, Recorded> asking = Collections.synchronizedMap(new WeakHashMap<>());
    private final int cap;
    private final SiteStacks sites = new SiteStacks();
    private final AtomicLong notRecorded = new AtomicLong();
    private volatile boolean tracking;
    private volatile long lastSweep = System.nanoTime() - SWEEP_PAUSE_NANOS;

    OriginRecords(int cap) {
        this.cap = cap;
    }

    /**
     * Called through the hook as a connect or accept returns.
     *
     * @param socket the socket or channel connected or accepted
     * @param server the server socket or channel that accepted it; null for a connect
     */
    @Override
    public void accept(Object socket, Object server) {
        if (!tracking) {
            return;
        }
        if (socket == null) {
            // An asynchronous accept asked for: its server's local port is the site.
            if (asking.size() < cap) {
                asking.put(server, new Recorded(server, sites.frames(server, true)));
            }
            return;
        }
        if (!SocketKey.connected(socket)) {
            if (!SocketKey.pending(socket) || pending.size() >= cap) {
                return;
            }
            pending.put(socket, new Recorded(socket, StackCapture.here()));
            // The handler thread may have finished the connect meanwhile, before the stash was there to take.
            if (!SocketKey.connected(socket)) {
                return;
            }
        }
        int n = queuedCount.incrementAndGet();
        if (n >= SWEEP_EVERY || n + records.size() >= cap) {
            drain(false);
            if (queuedCount.get() + records.size() >= cap) {
                queuedCount.decrementAndGet();
                notRecorded.incrementAndGet();
                return;
            }
        }
        // A blocking Socket is never pending: no lock taken on the common path.
        Recorded asked = socket instanceof Socket || pending.isEmpty() ? null : pending.remove(socket);
        if (asked == null && server instanceof AsynchronousServerSocketChannel) {
            Recorded accepting = asking.remove(server);
            // The accepted socket gets the asker's frames and thread, and its own time.
            asked = accepting == null ? null : new Recorded(socket, accepting.frames, accepting.thread);
        }
        queued.add(asked != null ? asked : new Recorded(socket, sites.frames(socket, server != null)));
    }

    /**
     * Keys the queued records whose socket is still open and drops the others, then sweeps the keyed
     * ones (at most once a second). {@code wait}: a reader, which must see every record; the hot path
     * leaves the work to a drainer already at it.
     */
    private void drain(boolean wait) {
        if (wait) {
            draining.lock();
        } else if (!draining.tryLock()) {
            return;
        }
        try {
            for (Recorded r; (r = queued.poll()) != null; ) {
                queuedCount.decrementAndGet();
                Object socket = r.get();
                Optional<SocketKey> key = socket == null ? Optional.empty() : SocketKey.of(socket);
                if (key.isEmpty()) {
                    continue;
                }
                Recorded old = records.get(key.get());
                // One socket can pass two hooks (an async connect completes on the handler thread while the
                // caller is still returning from implConnect): the record with application frames wins.
                if (old != null && old.get() == socket && (old.application() || !r.application())) {
                    continue;
                }
                records.put(key.get(), r);
            }
            if (!wait || records.size() >= cap) {
                sweep();
            }
        } finally {
            draining.unlock();
        }
    }

    @Override
    public Optional<SocketOrigin> originOf(TcpConnection connection) {
        if (!queued.isEmpty()) {
            drain(true);
        }
        if (records.isEmpty()) {
            return Optional.empty();
        }
        SocketKey key = SocketKey.of(connection);
        Recorded r = records.get(key);
        if (r == null) {
            return Optional.empty();
        }
        Object s = r.get();
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
        if (!queued.isEmpty()) {
            drain(true);
        }
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
        draining.lock();
        try {
            queued.clear();
            queuedCount.set(0);
            records.clear();
            sites.clear();
            pending.clear();
            asking.clear();
        } finally {
            draining.unlock();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweep < SWEEP_PAUSE_NANOS) {
            return;
        }
        lastSweep = now;
        records.entrySet().removeIf(e -> {
            Object s = e.getValue().get();
            return s == null || !SocketKey.open(s);
        });
    }
}
