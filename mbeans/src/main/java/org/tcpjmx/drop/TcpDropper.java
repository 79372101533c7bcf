package org.tcpjmx.drop;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.DestroyResult;
import org.tcpjmx.model.IpAddresses;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatformException;

/**
 * The drop engine: tcpdrop(8)'s operations on the Linux TCP table. Thread-safe and stateless
 * between calls.
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
 * <p>Every drop and every refusal is logged at INFO through SLF4J with the 4-tuple and the outcome.
 */
public final class TcpDropper {
    private static final Logger LOG = LoggerFactory.getLogger(TcpDropper.class);

    /** The states tcpdrop's {@code -s} accepts: every state but LISTEN and CLOSED. */
    public static final Set<TcpState> DROPPABLE_STATES =
            EnumSet.complementOf(EnumSet.of(TcpState.LISTEN, TcpState.CLOSED));

    /** Bulk operations select from these only; a listener has no connection to drop. */
    private static final Filter NOT_LISTENING = new Filter.States(DROPPABLE_STATES);
    /** Congestion-control module names ({@code TCP_CA_NAME_MAX} is 16 with the terminating NUL). */
    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    static final String DROPPED = "dropped";
    static final String NO_SUCH_CONNECTION = "no such connection";
    static final String NEEDS_CAP_NET_ADMIN =
            "Operation not permitted (needs CAP_NET_ADMIN in the socket's network namespace)";
    static final String NO_DESTROY_IN_KERNEL =
            "Operation not supported (kernel without CONFIG_INET_DIAG_DESTROY)";
    static final String NO_COOKIE =
            "Operation not supported (the procfs backend has no socket cookie, so only this JVM's own sockets can be dropped)";
    static final String NO_TIME_WAIT_DESTROY = "this kernel cannot destroy TIME_WAIT sockets (Linux < 6.0)";
    private static final int AUDIT_LINES_PER_RECORD = 500;
    static final String PROTECTED = "skipped: a protected management connection";
    static final String LISTENER = "refused: listening sockets are never dropped";
    static final String NO_NATIVE_CALLS =
            "nor can this JVM reset its own descriptor: it cannot make native calls (JNA unavailable or native access denied)";

    private final TcpPlatform platform;
    private final Predicate<TcpConnection> protectedConnection;
    private final HostResolver resolver;

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
        if (platform == null || protectedConnection == null || resolver == null) {
            throw new IllegalArgumentException("a dropper needs a platform, a protection predicate and a resolver");
        }
        this.platform = platform;
        this.protectedConnection = protectedConnection;
        this.resolver = resolver;
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
        int lport = TcpPorts.parse("local port", localPort);
        int fport = TcpPorts.parse("foreign port", foreignPort);
        List<byte[]> givenLocals = resolver.resolve("local address", localAddress);
        List<byte[]> givenForeigns = resolver.resolve("foreign address", foreignAddress);
        List<byte[]> locals = unmapped(givenLocals);
        List<byte[]> foreigns = unmapped(givenForeigns);
        List<byte[][]> pairs = new ArrayList<>();
        for (byte[] l : locals) {
            for (byte[] f : foreigns) {
                if (l.length == f.length) {
                    pairs.add(new byte[][] {l, f});
                }
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("local address '" + localAddress + "' and foreign address '" + foreignAddress
                    + "' have no pair of addresses of the same family (IPv4 with IPv4, IPv6 with IPv6)");
        }
        Map<String, TcpConnection> found = new LinkedHashMap<>();
        for (byte[][] p : pairs) {
            Filter tuple = new Filter.And(NOT_LISTENING, new Filter.And(
                    new Filter.Host(Filter.Side.SOURCE, p[0], p[0].length * 8, lport),
                    new Filter.Host(Filter.Side.DESTINATION, p[1], p[1].length * 8, fport)));
            platform.forEach(tuple, false, c -> found.putIfAbsent(identity(c), c));
        }
        if (found.isEmpty()) {
            // Named as the user gave it (numerically), e.g. ::ffff:127.0.0.1 stays mapped.
            String tuple = IpAddresses.format(givenLocals.get(0)) + " " + lport + " "
                    + IpAddresses.format(givenForeigns.get(0)) + " " + fport;
            String reason = pairs.size() == 1 ? NO_SUCH_CONNECTION
                    : NO_SUCH_CONNECTION + " (nor for the other " + (pairs.size() - 1) + " address pairs the names resolve to)";
            DropOutcome none = outcome(tuple, "", DropStatus.NOT_FOUND, reason);
            return report(0, List.of(none));
        }
        List<DropOutcome> outcomes = new ArrayList<>();
        for (TcpConnection row : found.values()) {
            outcomes.add(attempt(row).orElseGet(
                    () -> outcome(tuple(row), row.state().name(), DropStatus.NOT_FOUND, NO_SUCH_CONNECTION)));
        }
        return report(found.size(), outcomes);
    }

    /** {@link #dropOne(String, String, String, String)} for a parsed {@link ConnectionSpec}. */
    public DropReport dropOne(ConnectionSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("missing connection");
        }
        return dropOne(spec.localAddress(), spec.localPort(), spec.foreignAddress(), spec.foreignPort());
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
            LOG.info("tcpdrop -S {} -s TIME_WAIT: TIME_WAIT sockets have no stack; nothing to drop", stack);
            return report(0, List.of());
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
        List<TcpConnection> rows = platform.connections(new Filter.And(NOT_LISTENING, filter), false);
        if (listOnly) {
            List<String> commands = new ArrayList<>();
            for (TcpConnection row : rows) {
                if (protectedConnection.test(row)) {
                    LOG.info("tcpdrop -l {} [{}]: not listed, a protected management connection", tuple(row), row.state());
                } else {
                    commands.add(row.tcpdropCommand());
                }
            }
            return new DropReport(commands.size(), 0, 0, commands, List.of(), List.of());
        }
        List<DropOutcome> outcomes = new ArrayList<>();
        List<DropOutcome> spared = new ArrayList<>();
        // The rows come from a dump taken a moment ago, with their full ids: destroy them at once (one
        // netlink round trip each, as ss -K), then check all of them with one more dump.
        Map<Integer, TcpConnection> unverified = new LinkedHashMap<>();
        for (TcpConnection row : rows) {
            if (protectedConnection.test(row)) {
                // Skipped like a listener (tcpdrop -a's own exception): not a failure, but reported and audited.
                spared.add(outcome(tuple(row), row.state().name(), DropStatus.REFUSED, PROTECTED));
                continue;
            }
            DropOutcome o;
            try {
                o = drop(row, false);
            } catch (TcpPlatformException e) {
                o = outcome(tuple(row), row.state().name(), DropStatus.FAILED, e.getMessage());
            }
            if (o.status() == DropStatus.NOT_FOUND) {
                LOG.debug("tcpdrop {} [{}]: gone before its turn", tuple(row), row.state());
                continue;
            }
            if (o.status() == DropStatus.DROPPED) {
                unverified.put(outcomes.size(), row);
            }
            outcomes.add(o);
        }
        verifyAll(new Filter.And(NOT_LISTENING, filter), unverified, outcomes);
        DropReport r = report(outcomes.size(), outcomes);
        if (spared.isEmpty()) {
            return r;
        }
        audit(spared);
        List<DropOutcome> all = new ArrayList<>(r.outcomes());
        all.addAll(spared);
        return new DropReport(r.matched(), r.dropped(), r.failed(), r.commands(), r.errors(), all);
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
        if (!STACK_NAME.matcher(stack).matches()) {
            throw new IllegalArgumentException("'" + stack + "' is not a congestion-control module name "
                    + "(1-15 letters, digits, '_', '-', '.'), e.g. cubic, bbr or reno");
        }
        return new Filter.Stack(stack);
    }

    /**
     * Some kernels acknowledge a destroy and leave an orphaned socket alive: one dump of the same
     * selection tells which of the destroyed sockets are still there in their old state. Each
     * outcome is audited (by {@link #report}) only once it is known.
     */
    private void verifyAll(Filter selection, Map<Integer, TcpConnection> unverified, List<DropOutcome> outcomes) {
        if (unverified.isEmpty()) {
            return;
        }
        Set<String> alive = new java.util.HashSet<>();
        try {
            platform.forEach(selection, false, c -> alive.add(identity(c) + " " + c.state()));
        } catch (TcpPlatformException e) {
            for (Map.Entry<Integer, TcpConnection> u : unverified.entrySet()) {
                TcpConnection c = u.getValue();
                outcomes.set(u.getKey(), outcome(tuple(c), c.state().name(), DropStatus.FAILED,
                        "destroyed, but the check that it is gone failed: " + e.getMessage()));
            }
            return;
        }
        for (Map.Entry<Integer, TcpConnection> u : unverified.entrySet()) {
            TcpConnection c = u.getValue();
            outcomes.set(u.getKey(), alive.contains(identity(c) + " " + c.state())
                    ? outcome(tuple(c), c.state().name(), DropStatus.FAILED, stillAlive(c, "SOCK_DESTROY or reset"))
                    : outcome(tuple(c), c.state().name(), DropStatus.DROPPED, DROPPED));
        }
    }

    private static String stillAlive(TcpConnection c, String how) {
        return "the kernel acknowledged the drop (" + how + ") but the socket is still " + c.state();
    }

    /**
     * Looks a selected row up again and drops it; empty when it is gone. A netlink failure on one
     * connection is that connection's outcome, so a bulk drop reports the rest.
     */
    private Optional<DropOutcome> attempt(TcpConnection row) {
        try {
            Optional<TcpConnection> fresh = platform.lookup(row);
            return fresh.map(c -> drop(c, true));
        } catch (TcpPlatformException e) {
            return Optional.of(outcome(tuple(row), row.state().name(), DropStatus.FAILED, e.getMessage()));
        }
    }

    /**
     * Destroys one freshly looked-up socket and says what happened. With {@code verifyNow} false,
     * a success is a provisional, not yet audited DROPPED that the caller must verify.
     */
    private DropOutcome drop(TcpConnection c, boolean verifyNow) {
        String tuple = tuple(c);
        String state = c.state().name();
        if (!DROPPABLE_STATES.contains(c.state())) {
            return outcome(tuple, state, DropStatus.REFUSED, LISTENER);
        }
        DestroyResult r = platform.destroy(c);
        switch (r.kind()) {
            case DESTROYED:
                return verifyNow ? verified(c, "SOCK_DESTROY") : provisional(c);
            case GONE:
                return outcome(tuple, state, DropStatus.NOT_FOUND, NO_SUCH_CONNECTION);
            case NOT_PERMITTED:
                return c.owned() ? disconnectOwned(c, NEEDS_CAP_NET_ADMIN, verifyNow)
                        : outcome(tuple, state, DropStatus.PERMISSION_DENIED, NEEDS_CAP_NET_ADMIN);
            case NO_EXACT_ID:
                return c.owned() ? disconnectOwned(c, NO_COOKIE, verifyNow) : outcome(tuple, state, DropStatus.UNSUPPORTED, NO_COOKIE);
            case UNSUPPORTED_BY_KERNEL:
                return c.owned() ? disconnectOwned(c, NO_DESTROY_IN_KERNEL, verifyNow)
                        : outcome(tuple, state, DropStatus.UNSUPPORTED, NO_DESTROY_IN_KERNEL);
            case REFUSED_FOR_STATE:
                if (c.state() == TcpState.TIME_WAIT) {
                    return outcome(tuple, state, DropStatus.UNSUPPORTED, NO_TIME_WAIT_DESTROY);
                }
                return outcome(tuple, state, DropStatus.FAILED, "SOCK_DESTROY failed: " + r.detail());
            default:
                return outcome(tuple, state, DropStatus.FAILED, "SOCK_DESTROY failed: " + r.detail());
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
        DropStatus status = destroyRefusal.equals(NEEDS_CAP_NET_ADMIN) ? DropStatus.PERMISSION_DENIED : DropStatus.UNSUPPORTED;
        if (r.kind() == DestroyResult.Kind.NO_NATIVE_CALLS) {
            return outcome(tuple(c), c.state().name(), DropStatus.UNSUPPORTED, destroyRefusal + "; " + NO_NATIVE_CALLS);
        }
        return outcome(tuple(c), c.state().name(), status,
                destroyRefusal + "; reset through this JVM's own descriptor failed: " + r.detail());
    }

    /** Some kernels acknowledge a destroy and leave an orphaned socket alive: look again before saying "dropped". */
    private DropOutcome verified(TcpConnection c, String how) {
        Optional<TcpConnection> after = platform.lookup(c);
        if (after.isPresent() && after.get().state() == c.state()) {
            return outcome(tuple(c), c.state().name(), DropStatus.FAILED, stillAlive(c, how));
        }
        LOG.debug("{} dropped by {}", c, how);
        return outcome(tuple(c), c.state().name(), DropStatus.DROPPED, DROPPED);
    }

    /** A success still to be verified by {@link #verifyAll}. */
    private static DropOutcome provisional(TcpConnection c) {
        return new DropOutcome(tuple(c), c.state().name(), DropStatus.DROPPED, tuple(c) + ": " + DROPPED);
    }

    private static DropOutcome outcome(String tuple, String state, DropStatus status, String reason) {
        return new DropOutcome(tuple, state, status, tuple + ": " + reason);
    }

    /**
     * The audit log: one line per drop and per refusal, {@code tcpdrop TUPLE [STATE]: STATUS (reason)}.
     * A bulk drop writes its lines in records of up to {@value #AUDIT_LINES_PER_RECORD}: one SLF4J
     * call per line cost more than the drops themselves (java.util.logging infers the caller and
     * flushes each record), and 50,000 lines would make a bulk drop three times slower than ss -K.
     */
    private static void audit(List<DropOutcome> outcomes) {
        StringBuilder lines = new StringBuilder();
        int n = 0;
        for (DropOutcome o : outcomes) {
            if (n > 0) {
                lines.append('\n');
            }
            String reason = o.message().substring(o.tuple().length() + 2);
            lines.append("tcpdrop ").append(o.tuple()).append(" [").append(o.state().isEmpty() ? "-" : o.state()).append("]: ")
                    .append(o.status()).append(" (").append(reason).append(')');
            if (++n == AUDIT_LINES_PER_RECORD) {
                LOG.info("{}", lines);
                lines.setLength(0);
                n = 0;
            }
        }
        if (n > 0) {
            LOG.info("{}", lines);
        }
    }

    private static DropReport report(int matched, List<DropOutcome> outcomes) {
        audit(outcomes);
        int dropped = 0;
        List<String> errors = new ArrayList<>();
        for (DropOutcome o : outcomes) {
            if (o.status() == DropStatus.DROPPED) {
                dropped++;
            } else {
                errors.add(o.message());
            }
        }
        return new DropReport(matched, dropped, outcomes.size() - dropped, List.of(), errors, outcomes);
    }

    /** {@code LADDR LPORT FADDR FPORT}, numeric, as ss prints the addresses. */
    static String tuple(TcpConnection c) {
        return c.local().addressText() + " " + c.local().port() + " " + c.remote().addressText() + " " + c.remote().port();
    }

    /** One socket, even when two address pairs find it (an IPv4 and its mapped form). */
    private static String identity(TcpConnection c) {
        return c.family() + " " + tuple(c) + " " + c.ifindex() + " " + c.cookie() + " " + c.inode();
    }

    /** An IPv4-mapped address becomes IPv4: the filter then matches both the AF_INET and the mapped AF_INET6 socket. */
    private static List<byte[]> unmapped(List<byte[]> addresses) {
        List<byte[]> out = new ArrayList<>(addresses.size());
        for (byte[] a : addresses) {
            out.add(IpAddresses.isV4Mapped(a) ? java.util.Arrays.copyOfRange(a, 12, 16) : a);
        }
        return out;
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
