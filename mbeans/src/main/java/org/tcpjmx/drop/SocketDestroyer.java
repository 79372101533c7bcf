package org.tcpjmx.drop;

import static org.tcpjmx.drop.DropOutcomes.DROPPED;
import static org.tcpjmx.drop.DropOutcomes.NO_SUCH_CONNECTION;
import static org.tcpjmx.drop.DropOutcomes.identity;
import static org.tcpjmx.drop.DropOutcomes.of;
import static org.tcpjmx.drop.DropOutcomes.tuple;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.DestroyResult;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatformException;

/**
 * Destroys sockets and checks they are gone, saying for each what happened. A socket is destroyed
 * with its full id, cookie included ({@link TcpPlatform#destroy}); when the kernel refuses for lack
 * of privilege, or cannot destroy at all, and the socket is one of this JVM's own, it is reset
 * through the JVM's own descriptor ({@link TcpPlatform#disconnectOwned}), which needs no privilege.
 * Because a kernel may acknowledge a destroy and leave the socket alive, every success is checked
 * by looking again. Writes no audit line: the outcomes it returns are audited by the caller.
 */
final class SocketDestroyer {
    private static final Logger LOG = LoggerFactory.getLogger(SocketDestroyer.class);

    static final String NEEDS_CAP_NET_ADMIN =
            "Operation not permitted (needs CAP_NET_ADMIN in the socket's network namespace)";
    static final String NO_DESTROY_IN_KERNEL =
            "Operation not supported (kernel without CONFIG_INET_DIAG_DESTROY)";
    static final String NO_COOKIE =
            "Operation not supported (the procfs backend has no socket cookie, so only this JVM's own sockets can be dropped)";
    static final String NO_TIME_WAIT_DESTROY = "this kernel cannot destroy TIME_WAIT sockets (Linux < 6.0)";
    static final String NO_NATIVE_CALLS =
            "nor can this JVM reset its own descriptor: it cannot make native calls (JNA unavailable or native access denied)";

    private final TcpPlatform platform;

    SocketDestroyer(TcpPlatform platform) {
        this.platform = platform;
    }

    /**
     * Looks a selected row up again (so its id is fresh), drops it and checks it is gone; empty when
     * it is gone already. A kernel failure on one connection is that connection's outcome.
     */
    Optional<DropOutcome> lookUpAndDrop(TcpConnection row) {
        try {
            Optional<TcpConnection> fresh = platform.lookup(row);
            return fresh.map(c -> drop(c, true));
        } catch (TcpPlatformException e) {
            return Optional.of(of(row, DropStatus.FAILED, e.getMessage()));
        }
    }

    /**
     * Drops a row of a dump taken a moment ago, without looking it up first or checking after; a
     * DROPPED outcome is provisional until {@link #verifyAll}. A kernel failure is the row's outcome.
     */
    DropOutcome dropUnverified(TcpConnection row) {
        try {
            return drop(row, false);
        } catch (TcpPlatformException e) {
            return of(row, DropStatus.FAILED, e.getMessage());
        }
    }

    /**
     * Some kernels acknowledge a destroy and leave an orphaned socket alive: one dump of the same
     * selection tells which of the destroyed sockets are still there in their old state.
     *
     * @param unverified the provisional DROPPED outcomes' rows, by their index in {@code outcomes}
     * @param outcomes replaced in place by the checked outcomes
     */
    void verifyAll(Filter selection, Map<Integer, TcpConnection> unverified, List<DropOutcome> outcomes) {
        if (unverified.isEmpty()) {
            return;
        }
        Set<String> alive = new HashSet<>();
        try {
            platform.forEach(selection, false, c -> alive.add(identity(c) + " " + c.state()));
        } catch (TcpPlatformException e) {
            for (Map.Entry<Integer, TcpConnection> u : unverified.entrySet()) {
                outcomes.set(u.getKey(), of(u.getValue(), DropStatus.FAILED,
                        "destroyed, but the check that it is gone failed: " + e.getMessage()));
            }
            return;
        }
        for (Map.Entry<Integer, TcpConnection> u : unverified.entrySet()) {
            TcpConnection c = u.getValue();
            outcomes.set(u.getKey(), alive.contains(identity(c) + " " + c.state())
                    ? of(c, DropStatus.FAILED, stillAlive(c, "SOCK_DESTROY or reset"))
                    : of(c, DropStatus.DROPPED, DROPPED));
        }
    }

    private static String stillAlive(TcpConnection c, String how) {
        return "the kernel acknowledged the drop (" + how + ") but the socket is still " + c.state();
    }

    /**
     * Destroys one socket and says what happened. With {@code verifyNow} false, a success is a
     * provisional DROPPED that the caller must verify.
     */
    private DropOutcome drop(TcpConnection c, boolean verifyNow) {
        if (!TcpDropper.DROPPABLE_STATES.contains(c.state())) {
            return of(c, DropStatus.REFUSED, DropOutcomes.LISTENER);
        }
        DestroyResult r = platform.destroy(c);
        switch (r.kind()) {
            case DESTROYED:
                return verifyNow ? verified(c, "SOCK_DESTROY") : provisional(c);
            case GONE:
                return of(c, DropStatus.NOT_FOUND, NO_SUCH_CONNECTION);
            case NOT_PERMITTED:
                return c.owned() ? disconnectOwned(c, NEEDS_CAP_NET_ADMIN, verifyNow)
                        : of(c, DropStatus.PERMISSION_DENIED, NEEDS_CAP_NET_ADMIN);
            case NO_EXACT_ID:
                return c.owned() ? disconnectOwned(c, NO_COOKIE, verifyNow) : of(c, DropStatus.UNSUPPORTED, NO_COOKIE);
            case UNSUPPORTED_BY_KERNEL:
                return c.owned() ? disconnectOwned(c, NO_DESTROY_IN_KERNEL, verifyNow)
                        : of(c, DropStatus.UNSUPPORTED, NO_DESTROY_IN_KERNEL);
            case REFUSED_FOR_STATE:
                if (c.state() == TcpState.TIME_WAIT) {
                    return of(c, DropStatus.UNSUPPORTED, NO_TIME_WAIT_DESTROY);
                }
                return of(c, DropStatus.FAILED, "SOCK_DESTROY failed: " + r.detail());
            default:
                return of(c, DropStatus.FAILED, "SOCK_DESTROY failed: " + r.detail());
        }
    }

    /**
     * Resets one of this JVM's own sockets by {@code connect(fd, AF_UNSPEC)}: the kernel sends a RST
     * and the descriptor stays open, so the application's next read reports the reset.
     */
    private DropOutcome disconnectOwned(TcpConnection c, String destroyRefusal, boolean verifyNow) {
        DestroyResult r = platform.disconnectOwned(c);
        if (r.destroyed()) {
            return verifyNow ? verified(c, "reset through this JVM's own descriptor") : provisional(c);
        }
        if (r.kind() == DestroyResult.Kind.NO_NATIVE_CALLS) {
            return of(c, DropStatus.UNSUPPORTED, destroyRefusal + "; " + NO_NATIVE_CALLS);
        }
        DropStatus status = destroyRefusal.equals(NEEDS_CAP_NET_ADMIN) ? DropStatus.PERMISSION_DENIED : DropStatus.UNSUPPORTED;
        return of(c, status, destroyRefusal + "; reset through this JVM's own descriptor failed: " + r.detail());
    }

    /** Some kernels acknowledge a destroy and leave an orphaned socket alive: look again before saying "dropped". */
    private DropOutcome verified(TcpConnection c, String how) {
        Optional<TcpConnection> after = platform.lookup(c);
        if (after.isPresent() && after.get().state() == c.state()) {
            return of(c, DropStatus.FAILED, stillAlive(c, how));
        }
        LOG.debug("{} dropped by {}", c, how);
        return of(c, DropStatus.DROPPED, DROPPED);
    }

    /** A success still to be verified by {@link #verifyAll}. */
    private static DropOutcome provisional(TcpConnection c) {
        return of(c, DropStatus.DROPPED, DROPPED);
    }
}
