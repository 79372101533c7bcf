package org.tcpjmx.agent.origins;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * The stack walked last at each site: one thread's connects to one destination, or its accepts on
 * one local port. A socket of a site shares the frames of the site's last walk instead of walking
 * again while that walk is less than {@value #REUSE_MILLIS} ms old, so a site walks at most
 * about a hundred times a second however fast it opens sockets. A StackWalker walk costs about as
 * much as a loopback connect's own work (benchmark.md, "Origin tracking"); a thread that opens
 * sockets to one place that fast is a loop, whose sockets come from one line. Every socket is still
 * recorded, with its own thread and time; only the walk is shared. Sites live in direct-mapped
 * slots: one that collides with another walks again.
 */
final class SiteStacks {
    static final long REUSE_MILLIS = 10;
    private static final int SLOTS = 512;

    /** Immutable: final fields publish it safely to the other threads that read its slot and find it is not theirs. */
    private static final class Site {
        final long thread;
        final boolean accepted;
        final InetAddress address;
        final int port;
        final StackCapture.Frames frames;
        final long walkedMillis;

        Site(long thread, boolean accepted, InetAddress address, int port, StackCapture.Frames frames, long walkedMillis) {
            this.thread = thread;
            this.accepted = accepted;
            this.address = address;
            this.port = port;
            this.frames = frames;
            this.walkedMillis = walkedMillis;
        }
    }

    private final Site[] slots = new Site[SLOTS];

    /**
     * The kept frames for a socket just connected ({@code accepted} false: its site is its remote
     * address and port) or accepted (its local port), walked now or shared with its site's last walk.
     *
     * @param nowMillis the time of the connect or accept ({@link System#currentTimeMillis()})
     */
    StackCapture.Frames frames(Object socket, boolean accepted, long nowMillis) {
        InetAddress address = accepted ? null : SocketKey.remoteAddress(socket);
        int port = accepted ? SocketKey.localPort(socket) : SocketKey.remotePort(socket);
        if (port <= 0 || (!accepted && address == null)) {
            return StackCapture.here();
        }
        @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
        long thread = Thread.currentThread().getId();
        int slot = (Long.hashCode(thread) * 31 + port) * 31 + Objects.hashCode(address);
        slot = (slot ^ (slot >>> 16)) & (SLOTS - 1);
        Site s = slots[slot];
        if (s != null && s.thread == thread && s.port == port && s.accepted == accepted && Objects.equals(s.address, address)
                // A clock stepped back does not extend the reuse.
                && nowMillis >= s.walkedMillis && nowMillis - s.walkedMillis < REUSE_MILLIS) {
            return s.frames;
        }
        StackCapture.Frames frames = StackCapture.here();
        slots[slot] = new Site(thread, accepted, address, port, frames, nowMillis);
        return frames;
    }

    /** Forgets every site (their frames hold the application's classes). */
    void clear() {
        Arrays.fill(slots, null);
    }
}
