package org.tcpjmx.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.DestroyResult;
import org.tcpjmx.model.PlatformCapabilities;
import org.tcpjmx.model.SocketOwner;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpSocketCounters;
import org.tcpjmx.model.Tunable;
import org.tcpjmx.model.TunableValue;

/**
 * The host's TCP table and the kernel calls that act on it, whatever the kernel interface. The rest
 * of the code uses only this; {@link TcpPlatforms#open()} picks the implementation.
 * Implementations are thread-safe. It answers in the model's terms: a kernel call that fails throws
 * {@link TcpPlatformException}, never a backend's own exception, and no errno number crosses it.
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
     * @return {@link DestroyResult.Kind#DESTROYED} when the kernel acknowledged; otherwise
     *     NOT_PERMITTED without CAP_NET_ADMIN, GONE when gone, NO_EXACT_ID when this backend has no
     *     cookie (nothing is sent), UNSUPPORTED_BY_KERNEL without {@code CONFIG_INET_DIAG_DESTROY},
     *     REFUSED_FOR_STATE on kernels that cannot destroy that state, FAILED for anything else
     */
    DestroyResult destroy(TcpConnection connection);

    /**
     * Resets one of this JVM's own sockets: {@code connect(fd, AF_UNSPEC)} on the descriptor this
     * process holds, which makes the kernel send a RST; the descriptor stays open.
     *
     * @return DESTROYED on success, GONE when this JVM holds no descriptor on it, NO_NATIVE_CALLS when
     *     this JVM cannot make native calls (JNA unavailable), otherwise FAILED with the kernel's reason
     */
    DestroyResult disconnectOwned(TcpConnection connection);

    /** Socket inode to owning process, scanning every process's fds (as {@code ss -p}); slow on big hosts. */
    Map<Long, SocketOwner> socketOwners();

    /**
     * The kernel's TCP counters, the figures {@code netstat -s} and {@code nstat} print, named as
     * {@code nstat} names them ({@code TcpActiveOpens}, {@code TcpExtListenOverflows}), in the
     * kernel's order; unmodifiable.
     */
    Map<String, Long> tcpCounters();

    /** The tcp(4) variables this platform maps to kernel tunables, in the order the docs list them. */
    List<Tunable> tunables();

    /**
     * Reads one tunable's current value.
     *
     * @return empty when this kernel lacks it or this process may not read it
     */
    Optional<TunableValue> read(Tunable tunable);

    /** Every tunable this kernel has, in {@link #tunables()} order; missing ones are left out. */
    default List<TunableValue> readTunables() {
        List<TunableValue> out = new ArrayList<>();
        for (Tunable t : tunables()) {
            read(t).ifPresent(out::add);
        }
        return out;
    }

    /** What this process may do to the host's sockets, found without touching any. */
    PlatformCapabilities capabilities();
}
