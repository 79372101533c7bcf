package org.tcpjmx.agent.origins;

import java.lang.ref.WeakReference;
import java.net.Socket;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.tcpjmx.jmx.OriginLookup;
import org.tcpjmx.model.SocketOrigin;
import org.tcpjmx.model.TcpConnection;

/**
 * The recorded origins of this JVM's sockets, keyed by 4-tuple, each holding its socket object
 * weakly. A record counts only while that object is alive and open: the kernel never has two open
 * sockets with one 4-tuple, so a reused 4-tuple (or fd) belongs to a socket whose predecessor was
 * closed first, and the predecessor's record is dead by then (and replaced when the new one is
 * keyed). A new record is only batched with its thread's others ({@link RecordBatches}: its stack as
 * walked, no 4-tuple yet); a full batch, or a read, keys the records whose socket is still open and
 * drops the rest. Dead keyed records go when a read finds them, and in sweeps (at most once a
 * second) as batches are keyed. At most {@code cap} keyed records, and at most
 * {@value RecordBatches#STRIPES} &times; {@value RecordBatches#BATCH} in batches; a socket still open
 * when the cap is reached gets no record and is counted in {@link #notRecorded()}.
 */
final class OriginRecords implements OriginLookup, BiConsumer<Object, Object> {
    /** Records kept at most unless the agent says otherwise. */
    static final int DEFAULT_CAP = 100_000;
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

        Recorded(Object socket, StackCapture.Frames frames, String thread, long openedMillis) {
            super(socket);
            this.frames = frames;
            this.thread = thread;
            this.openedMillis = openedMillis;
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
     * Records not keyed yet. Reading a socket's 4-tuple costs a system call (getsockname) and most
     * sockets of a busy loop are closed before anyone asks, so the hot path only batches; a full
     * batch, or a read, keys the ones still open and drops the rest.
     */
    private final RecordBatches<Recorded> batches = new RecordBatches<>(this::key);
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
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime() - SWEEP_PAUSE_NANOS);
    private volatile boolean tracking;

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
        // One clock read per socket: the record's time and its site's age.
        long now = System.currentTimeMillis();
        String thread = Thread.currentThread().getName();
        if (socket == null) {
            // An asynchronous accept asked for: its server's local port is the site.
            if (asking.size() < cap) {
                asking.put(server, new Recorded(server, sites.frames(server, true, now), thread, now));
            }
            return;
        }
        if (!SocketKey.connected(socket)) {
            if (!SocketKey.pending(socket) || pending.size() >= cap) {
                return;
            }
            pending.put(socket, new Recorded(socket, StackCapture.here(), thread, now));
            // The handler thread may have finished the connect meanwhile, before the stash was there to take.
            if (!SocketKey.connected(socket)) {
                return;
            }
        }
        // A blocking Socket is never pending: no lock taken on the common path.
        Recorded asked = socket instanceof Socket || pending.isEmpty() ? null : pending.remove(socket);
        if (asked == null && server instanceof AsynchronousServerSocketChannel) {
            Recorded accepting = asking.remove(server);
            // The accepted socket gets the asker's frames and thread, and its own time.
            asked = accepting == null ? null : new Recorded(socket, accepting.frames, accepting.thread, now);
        }
        if (batches.add(asked != null ? asked : new Recorded(socket, sites.frames(socket, server != null, now), thread, now))) {
            sweep();
        }
    }

    /**
     * Keys a batched record whose socket is still open; drops it otherwise. Called with its batch's
     * lock held, by the thread whose batch filled or by a reader.
     */
    private void key(Recorded r) {
        Object socket = r.get();
        if (socket == null || !SocketKey.open(socket)) {
            return;
        }
        Optional<SocketKey> key = SocketKey.of(socket);
        if (key.isEmpty()) {
            return;
        }
        if (records.size() >= cap && !records.containsKey(key.get())) {
            sweep();
            if (records.size() >= cap) {
                notRecorded.incrementAndGet();
                return;
            }
        }
        records.merge(key.get(), r, OriginRecords::kept);
    }

    /**
     * Which of two records of one 4-tuple stays. Batches are keyed in any order, so the newer socket
     * is the open one, not the one keyed last. One socket can pass two hooks (an async connect done
     * at once passes setConnected and then implConnect's return; a pending one completes on the
     * handler thread while the caller is still returning from implConnect): then the record with
     * application frames wins.
     */
    private static Recorded kept(Recorded old, Recorded r) {
        Object socket = r.get();
        if (socket == null || !SocketKey.open(socket)) {
            return old;
        }
        Object held = old.get();
        if (held == null || !SocketKey.open(held) || held != socket) {
            return r;
        }
        return old.application() || !r.application() ? old : r;
    }

    @Override
    public Optional<SocketOrigin> originOf(TcpConnection connection) {
        batches.handOnAll();
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
        batches.handOnAll();
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
        batches.clear();
        records.clear();
        sites.clear();
        pending.clear();
        asking.clear();
    }

    /** Drops the keyed records whose socket is gone or closed; at most once a second, by one thread. */
    private void sweep() {
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (now - last < SWEEP_PAUSE_NANOS || records.isEmpty() || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        records.entrySet().removeIf(e -> {
            Object s = e.getValue().get();
            return s == null || !SocketKey.open(s);
        });
    }
}
