package org.tcpjmx.model;

import java.util.Optional;

/**
 * One row of the TCP table: what {@code ss -tan} prints, plus the kernel's socket id and, on
 * request, {@code tcp_info} and the congestion-control module.
 *
 * @param family address family of the socket
 * @param local local address and port
 * @param remote remote address and port (wildcard for a listener)
 * @param state the state
 * @param recvQ Recv-Q as ss shows it (bytes not yet read; for a listener, the accept queue)
 * @param sendQ Send-Q as ss shows it (bytes not acknowledged; for a listener, the backlog)
 * @param uid owner uid of the socket
 * @param inode socket inode (0 for TIME_WAIT and request sockets, which have no file)
 * @param ifindex bound interface index, part of the kernel's socket id
 * @param cookie the kernel's 64-bit socket cookie, or {@link #NO_COOKIE} when the backend has none
 * @param timer the pending timer
 * @param timerExpiresMillis milliseconds until the timer fires
 * @param timerRetransmits retransmits or probes counted by the timer
 * @param owned whether this JVM holds a file descriptor on the socket
 * @param stack the congestion-control module ("cubic", "bbr", ...) or "" when unknown or none (TIME_WAIT)
 * @param info tcp_info figures when they were requested and the kernel gave them
 * @param backend where the row came from
 * @param extras what {@code ss -e} and {@code ss -m} add, where known
 */
public record TcpConnection(
        IpFamily family,
        Endpoint local,
        Endpoint remote,
        TcpState state,
        long recvQ,
        long sendQ,
        long uid,
        long inode,
        int ifindex,
        long cookie,
        SocketTimer timer,
        long timerExpiresMillis,
        int timerRetransmits,
        boolean owned,
        String stack,
        Optional<TcpInfo> info,
        Backend backend,
        SocketExtras extras) {

    /** The kernel's {@code INET_DIAG_NOCOOKIE}: all 64 bits set. */
    public static final long NO_COOKIE = -1L;

    public TcpConnection {
        if (family == null || local == null || remote == null || state == null || timer == null
                || stack == null || info == null || backend == null || extras == null) {
            throw new IllegalArgumentException("a TCP connection row has no null fields");
        }
    }

    /** A row without extras ({@link SocketExtras#NONE}). */
    public TcpConnection(IpFamily family, Endpoint local, Endpoint remote, TcpState state, long recvQ, long sendQ,
                         long uid, long inode, int ifindex, long cookie, SocketTimer timer, long timerExpiresMillis,
                         int timerRetransmits, boolean owned, String stack, Optional<TcpInfo> info, Backend backend) {
        this(family, local, remote, state, recvQ, sendQ, uid, inode, ifindex, cookie, timer, timerExpiresMillis,
                timerRetransmits, owned, stack, info, backend, SocketExtras.NONE);
    }

    /** Whether the kernel's cookie is known, so the socket can be destroyed safely. */
    public boolean hasCookie() {
        return cookie != NO_COOKIE;
    }

    /**
     * The tcpdrop(8) command line that drops this connection: {@code tcpdrop LADDR LPORT FADDR FPORT},
     * numeric addresses.
     */
    public String tcpdropCommand() {
        return "tcpdrop " + local.addressText() + " " + local.port() + " " + remote.addressText() + " " + remote.port();
    }

    /** The same row with the owned flag set. */
    public TcpConnection withOwned(boolean isOwned) {
        return isOwned == owned ? this : new TcpConnection(family, local, remote, state, recvQ, sendQ, uid, inode,
                ifindex, cookie, timer, timerExpiresMillis, timerRetransmits, isOwned, stack, info, backend, extras);
    }

    /** The same row with other extras. */
    public TcpConnection withExtras(SocketExtras other) {
        return other.equals(extras) ? this : new TcpConnection(family, local, remote, state, recvQ, sendQ, uid, inode,
                ifindex, cookie, timer, timerExpiresMillis, timerRetransmits, owned, stack, info, backend, other);
    }

    /** {@code ESTABLISHED 127.0.0.1:8080 127.0.0.1:51234}, for logs and messages. */
    @Override
    public String toString() {
        return state + " " + local + " " + remote;
    }
}
