package org.tcpjmx.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.linux.ProcFdScanner.SocketOwner;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpSocketCounters;

/**
 * The host's TCP table and the kernel calls that act on it, whatever the kernel interface. The rest
 * of the code uses only this; {@link TcpPlatforms#open()} picks the implementation.
 * Implementations are thread-safe.
 */
public interface TcpPlatform {

    /** Where rows come from. */
    Backend backend();

    /** A sentence saying which backend is in use and, after a fallback, why. */
    String backendDetail();

    /**
     * Streams every socket that matches the filter, IPv4 and IPv6, in the order the kernel gives them
     * (netlink: one walk of its socket hash; procfs: IPv4 then IPv6).
     *
     * @param withInfo also fetch tcp_info (netlink only; ignored by procfs)
     */
    void forEach(Filter filter, boolean withInfo, Consumer<TcpConnection> sink);

    /** The matching sockets as a list. */
    default List<TcpConnection> connections(Filter filter, boolean withInfo) {
        List<TcpConnection> out = new ArrayList<>();
        forEach(filter, withInfo, out::add);
        return out;
    }

    /** Counts matching sockets per state; builds no row per socket where the kernel can filter. */
    StateHistogram histogram(Filter filter);

    /**
     * Streams every socket that matches the filter as its state, local port and (when asked) whether
     * this JVM holds it, without building a row: what counting needs, at the cost of a histogram.
     *
     * @param withOwned find out which sockets this JVM holds (reads its descriptors once per call)
     */
    default void tally(Filter filter, boolean withOwned, SocketTally tally) {
        forEach(filter, false, c -> tally.add(c.state(), c.local().port(), withOwned && c.owned()));
    }

    /**
     * The kernel's own socket counters (the figures of {@code ss -s}), read without walking the
     * table; empty where this platform has none.
     */
    default Optional<TcpSocketCounters> socketCounters() {
        return Optional.empty();
    }

    /**
     * How many walks of the kernel's whole connection table this platform has made since it was
     * opened: each dump that reaches past the listeners, each read of the table's files. A dump of
     * listeners only reads the kernel's small listening hash and is not counted. -1 where unknown.
     */
    default long tableWalks() {
        return -1;
    }

    /**
     * Looks the connection up again in the kernel: by its full socket id on netlink (so a reused
     * 4-tuple is not mistaken for it), by 4-tuple and state-independent match on procfs. On netlink,
     * when the kernel returns the same socket (same inode), the found row's {@code owned} flag is the
     * given row's: this JVM's descriptors are not rescanned for every lookup.
     */
    Optional<TcpConnection> lookup(TcpConnection connection);

    /**
     * Asks the kernel to destroy the socket ({@code SOCK_DESTROY} with the row's full id).
     *
     * @return 0 when the kernel acknowledged, otherwise an errno: EPERM without CAP_NET_ADMIN,
     *     ENOENT when gone, EOPNOTSUPP without {@code CONFIG_INET_DIAG_DESTROY} or when this backend
     *     has no cookie, EINVAL on kernels that cannot destroy that state
     */
    int destroy(TcpConnection connection);

    /**
     * Resets one of this JVM's own sockets: {@code connect(fd, AF_UNSPEC)} on the descriptor this
     * process holds, which makes the kernel send a RST; the descriptor stays open.
     *
     * @return 0 on success, ENOENT when this JVM holds no descriptor on it, ENOSYS when this JVM
     *     cannot make native calls (JNA unavailable), otherwise the errno
     */
    int disconnectOwned(TcpConnection connection);

    /** Socket inode to owning process, scanning every process's fds (as {@code ss -p}); slow on big hosts. */
    Map<Long, SocketOwner> socketOwners();
}
