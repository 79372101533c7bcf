package org.tcpjmx.drop;

import static org.tcpjmx.drop.DropOutcomes.NO_SUCH_CONNECTION;
import static org.tcpjmx.drop.DropOutcomes.identity;
import static org.tcpjmx.drop.DropOutcomes.tuple;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.Requester;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;

/**
 * The drop engine: tcpdrop(8)'s operations on the Linux TCP table. Thread-safe and stateless
 * between calls. It selects the connections; {@link ConnectionSpec} parses and resolves a named one,
 * {@link SocketDestroyer} destroys and verifies, {@link DropReport} sums up and {@link DropAuditLog}
 * writes the audit lines, once per request.
 *
 * <p>Every connection is dropped the same way: look it up again in the kernel (so the full socket id,
 * cookie included, is fresh), ask {@link TcpPlatform#destroy} to destroy exactly that socket, and
 * look it up once more, because a kernel may acknowledge a destroy and leave the socket alive. A
 * user's 4-tuple is never sent to the kernel without the cookie: without one the kernel matches the
 * listener and would close it instead. When the kernel refuses for lack of {@code CAP_NET_ADMIN} (or
 * cannot destroy at all) and the socket is one of this JVM's own, it is reset through the JVM's own
 * descriptor ({@link TcpPlatform#disconnectOwned}), which needs no privilege.
 *
 * <p>Bulk operations ({@link #dropAll}, {@link #dropState}, {@link #dropStack},
 * {@link #dropStackState}, {@link #dropMatching}) never touch listening sockets, as {@code tcpdrop -a}
 * skips them, and leave connections the protection predicate names alone, so that the agent's own
 * management connections survive a "drop all": like listeners they are not counted as matched or
 * failed, but each appears in the report's outcomes as {@link DropStatus#REFUSED} and in the audit log.
 * A connection named explicitly ({@link #dropOne}) is dropped even when protected: the caller asked
 * for exactly that one. In list mode ({@code tcpdrop -l}) nothing is dropped and protected
 * connections are not listed, so that piping the list into a shell cannot cut them either.
 *
 * <p>Every drop and every refusal is logged at INFO through SLF4J with the 4-tuple, the outcome and
 * who asked ({@link #by}; {@link Requester#IN_PROCESS} unless told).
 */
public final class TcpDropper {
    private static final Logger LOG = LoggerFactory.getLogger(TcpDropper.class);

    /** The states tcpdrop's {@code -s} accepts: every state but LISTEN and CLOSED. */
    public static final Set<TcpState> DROPPABLE_STATES =
            EnumSet.complementOf(EnumSet.of(TcpState.LISTEN, TcpState.CLOSED));

    /** Bulk operations select from these only; a listener has no connection to drop. */
    private static final Filter NOT_LISTENING = new Filter.States(DROPPABLE_STATES);

    private final TcpPlatform platform;
    private final Predicate<TcpConnection> protectedConnection;
    private final HostResolver resolver;
    private final Requester requester;
    private final SocketDestroyer destroyer;

    /** A dropper that protects nothing. */
    public TcpDropper(TcpPlatform platform) {
        this(platform, c -> false);
    }

    /**
     * A dropper whose bulk operations leave the connections {@code protectedConnection} accepts alone.
     *
     * @param protectedConnection evaluated on each selected row; must be thread-safe
     */
    public TcpDropper(TcpPlatform platform, Predicate<TcpConnection> protectedConnection) {
        this(platform, protectedConnection, new HostResolver());
    }

    /** As {@link #TcpDropper(TcpPlatform, Predicate)}, with a given resolver for host names. */
    public TcpDropper(TcpPlatform platform, Predicate<TcpConnection> protectedConnection, HostResolver resolver) {
        this(platform, protectedConnection, resolver, Requester.IN_PROCESS);
    }

    private TcpDropper(TcpPlatform platform, Predicate<TcpConnection> protectedConnection, HostResolver resolver,
                       Requester requester) {
        if (platform == null || protectedConnection == null || resolver == null || requester == null) {
            throw new IllegalArgumentException("a dropper needs a platform, a protection predicate, a resolver and a requester");
        }
        this.platform = platform;
        this.protectedConnection = protectedConnection;
        this.resolver = resolver;
        this.requester = requester;
        this.destroyer = new SocketDestroyer(platform);
    }

    /**
     * This dropper acting for {@code requester}: the same table, protection and resolver, and audit
     * lines that say {@code by REQUESTER}. Cheap; make one per request.
     *
     * @throws IllegalArgumentException for a null requester
     */
    public TcpDropper by(Requester requester) {
        return new TcpDropper(platform, protectedConnection, resolver, requester);
    }

    /** Who this dropper's audit lines say asked. */
    public Requester requester() {
        return requester;
    }

    /** The TCP table this dropper acts on. */
    public TcpPlatform platform() {
        return platform;
    }

    /**
     * Drops one connection: {@code tcpdrop local-address local-port foreign-address foreign-port}.
     * Addresses are numeric (never looked up) or host names (resolved with a deadline; every pair of
     * resolved addresses of the same family is tried). An IPv4 address also matches the
     * IPv4-mapped IPv6 socket of the same connection, and an IPv4-mapped address the IPv4 socket.
     * Ports are numbers 1-65535 or service names.
     *
     * @return the outcome; a tuple that matches nothing gives {@code failed == 1} and
     *     {@link DropStatus#NOT_FOUND}
     * @throws IllegalArgumentException naming a missing or malformed argument; nothing is dropped
     * @throws AddressResolutionException when a host name does not resolve in time
     */
    public DropReport dropOne(String localAddress, String localPort, String foreignAddress, String foreignPort) {
        return drop(ResolvedConnection.resolve(localAddress, localPort, foreignAddress, foreignPort, resolver));
    }

    /** {@link #dropOne(String, String, String, String)} for a parsed {@link ConnectionSpec}. */
    public DropReport dropOne(ConnectionSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("missing connection");
        }
        return drop(spec.resolve(resolver));
    }

    private DropReport drop(ResolvedConnection target) {
        Map<String, TcpConnection> found = new LinkedHashMap<>();
        for (Filter tuple : target.filters()) {
            platform.forEach(new Filter.And(NOT_LISTENING, tuple), false, c -> found.putIfAbsent(identity(c), c));
        }
        List<DropOutcome> outcomes = new ArrayList<>();
        if (found.isEmpty()) {
            int pairs = target.pairs().size();
            String reason = pairs == 1 ? NO_SUCH_CONNECTION
                    : NO_SUCH_CONNECTION + " (nor for the other " + (pairs - 1) + " address pairs the names resolve to)";
            outcomes.add(DropOutcomes.of(target.givenTuple(), "", DropStatus.NOT_FOUND, reason));
            return audited(DropReport.of(0, outcomes));
        }
        for (TcpConnection row : found.values()) {
            outcomes.add(destroyer.lookUpAndDrop(row).orElseGet(
                    () -> DropOutcomes.of(row, DropStatus.NOT_FOUND, NO_SUCH_CONNECTION)));
        }
        return audited(DropReport.of(found.size(), outcomes));
    }

    /**
     * Drops one connection given in one string, in any of tcpdrop's forms: {@code "a b c d"},
     * {@code "addr:port addr:port"}, {@code "addr.port addr.port"}, {@code "[v6]:port [v6]:port"}.
     *
     * @throws IllegalArgumentException for a malformed spec, naming it
     */
    public DropReport dropSpec(String spec) {
        return dropOne(ConnectionSpec.parse(spec));
    }

    /** {@code tcpdrop [-l] -a}: every connection but listeners and protected ones. */
    public DropReport dropAll(boolean listOnly) {
        return dropMatching(Filter.ALL, listOnly);
    }

    /**
     * {@code tcpdrop [-l] -s STATE}.
     *
     * @throws IllegalArgumentException for null, LISTEN or CLOSED
     */
    public DropReport dropState(TcpState state, boolean listOnly) {
        return dropMatching(stateFilter(state), listOnly);
    }

    /**
     * {@code tcpdrop [-l] -S STACK}: on Linux, the connections using congestion-control module
     * {@code stack} (as {@code ss -i} shows it: cubic, bbr, reno, ...), matched case-insensitively.
     *
     * @throws IllegalArgumentException for a missing or malformed name
     */
    public DropReport dropStack(String stack, boolean listOnly) {
        return dropMatching(stackFilter(stack), listOnly);
    }

    /**
     * {@code tcpdrop [-l] -S STACK -s STATE}. A TIME_WAIT socket is not tied to any stack (Linux
     * keeps no congestion control for it), so with TIME_WAIT this drops nothing, as tcpdrop(8) says.
     *
     * @throws IllegalArgumentException for a malformed name, or null, LISTEN or CLOSED
     */
    public DropReport dropStackState(String stack, TcpState state, boolean listOnly) {
        Filter s = stackFilter(stack);
        Filter st = stateFilter(state);
        if (state == TcpState.TIME_WAIT) {
            DropAuditLog.timeWaitHasNoStack(stack, requester);
            return DropReport.of(0, List.of());
        }
        return dropMatching(new Filter.And(st, s), listOnly);
    }

    /**
     * Drops (or, with {@code listOnly}, lists) every connection the filter selects, listeners and
     * protected connections excepted. A selected connection that is gone by the time its turn comes
     * (typically the loopback peer of one just dropped, closed by the reset) is left out of the report.
     *
     * @throws IllegalArgumentException for a null filter
     */
    public DropReport dropMatching(Filter filter, boolean listOnly) {
        if (filter == null) {
            throw new IllegalArgumentException("missing filter; use Filter.ALL to select every connection");
        }
        Filter selection = new Filter.And(NOT_LISTENING, filter);
        List<TcpConnection> rows = platform.connections(selection, false);
        if (listOnly) {
            List<String> commands = new ArrayList<>();
            for (TcpConnection row : rows) {
                if (protectedConnection.test(row)) {
                    DropAuditLog.notListed(row, requester);
                } else {
                    commands.add(row.tcpdropCommand());
                }
            }
            return DropReport.listed(commands);
        }
        List<DropOutcome> outcomes = new ArrayList<>();
        List<DropOutcome> spared = new ArrayList<>();
        // The rows come from a dump taken a moment ago, with their full ids: destroy them at once (one
        // netlink round trip each, as ss -K), then check all of them with one more dump.
        Map<Integer, TcpConnection> unverified = new LinkedHashMap<>();
        for (TcpConnection row : rows) {
            if (protectedConnection.test(row)) {
                // Skipped like a listener (tcpdrop -a's own exception): not a failure, but reported and audited.
                spared.add(DropOutcomes.of(row, DropStatus.REFUSED, DropOutcomes.PROTECTED));
                continue;
            }
            DropOutcome o = destroyer.dropUnverified(row);
            if (o.status() == DropStatus.NOT_FOUND) {
                LOG.debug("tcpdrop {} [{}]: gone before its turn", tuple(row), row.state());
                continue;
            }
            if (o.status() == DropStatus.DROPPED) {
                unverified.put(outcomes.size(), row);
            }
            outcomes.add(o);
        }
        destroyer.verifyAll(selection, unverified, outcomes);
        DropAuditLog.outcomes(outcomes, requester);
        DropAuditLog.outcomes(spared, requester);
        return DropReport.of(outcomes.size(), outcomes).withSpared(spared);
    }

    /**
     * The connections a bulk drop of {@code filter} would act on, as they are now: listeners and
     * protected connections left out. For the rebalance engine, which selects among them.
     */
    List<TcpConnection> droppable(Filter filter) {
        List<TcpConnection> out = new ArrayList<>();
        for (TcpConnection row : platform.connections(new Filter.And(NOT_LISTENING, filter), false)) {
            if (!protectedConnection.test(row)) {
                out.add(row);
            }
        }
        return out;
    }

    /**
     * Drops one row selected a while ago, looking it up again first (its id is fresh, and one gone
     * meanwhile is NOT_FOUND), and audits the outcome at once: the rebalance engine's one drop.
     */
    DropOutcome dropAudited(TcpConnection row) {
        DropOutcome o = destroyer.lookUpAndDrop(row).orElseGet(
                () -> DropOutcomes.of(row, DropStatus.NOT_FOUND, NO_SUCH_CONNECTION));
        DropAuditLog.outcomes(List.of(o), requester);
        return o;
    }

    /**
     * The filter {@code tcpdrop -s STATE} selects by.
     *
     * @throws IllegalArgumentException for null, LISTEN or CLOSED, listing the valid states
     */
    public static Filter stateFilter(TcpState state) {
        if (state == null || !DROPPABLE_STATES.contains(state)) {
            throw new IllegalArgumentException("state " + state + " cannot be dropped; tcpdrop -s takes one of "
                    + names(DROPPABLE_STATES) + (state == TcpState.LISTEN ? " (listening sockets are never dropped)" : ""));
        }
        return new Filter.States(EnumSet.of(state));
    }

    /**
     * The filter {@code tcpdrop -S STACK} (or {@code -C ALGO}) selects by: the congestion-control
     * module on Linux.
     *
     * @throws IllegalArgumentException for a missing name or one that cannot be a module name
     */
    public static Filter stackFilter(String stack) {
        if (stack == null || stack.isBlank()) {
            throw new IllegalArgumentException("missing stack; on Linux a stack is a congestion-control module such as cubic, bbr or reno");
        }
        if (!Filter.Stack.isName(stack)) {
            throw new IllegalArgumentException("'" + stack + "' is not a congestion-control module name "
                    + "(" + Filter.Stack.NAME_RULE + "), e.g. cubic, bbr or reno");
        }
        return new Filter.Stack(stack);
    }

    /** Audits the report's outcomes, once they are all known, and returns it. */
    private DropReport audited(DropReport report) {
        DropAuditLog.outcomes(report.outcomes(), requester);
        return report;
    }

    private static String names(Set<TcpState> states) {
        StringBuilder sb = new StringBuilder();
        for (TcpState s : states) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(s.name());
        }
        return sb.toString();
    }
}
