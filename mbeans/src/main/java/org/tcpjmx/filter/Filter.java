package org.tcpjmx.filter;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

/**
 * A parsed connection filter in {@code ss}'s language (see {@link FilterParser}). Every node can be
 * evaluated in Java; the Linux backend also compiles what the kernel can evaluate into its dump
 * request, so a narrow filter costs a narrow dump.
 */
public sealed interface Filter permits Filter.All, Filter.States, Filter.Port, Filter.Host, Filter.Owned,
        Filter.Stack, Filter.Dev, Filter.Mark, Filter.Cgroup, Filter.Autobound, Filter.Family,
        Filter.And, Filter.Or, Filter.Not {

    /** Whether the connection matches. */
    boolean test(TcpConnection c);

    /** Which end of the connection a condition looks at. */
    enum Side {
        /** The local end: {@code sport}, {@code src}. */
        SOURCE,
        /** The remote end: {@code dport}, {@code dst}. */
        DESTINATION
    }

    /** A port comparison operator. */
    enum Comparison {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean test(int value, int operand) {
            switch (this) {
                case EQ: return value == operand;
                case NE: return value != operand;
                case LT: return value < operand;
                case LE: return value <= operand;
                case GT: return value > operand;
                default: return value >= operand;
            }
        }
    }

    /** Matches everything. */
    Filter ALL = new All();

    /** The filter that matches everything. */
    record All() implements Filter {
        @Override
        public boolean test(TcpConnection c) {
            return true;
        }

        @Override
        public String toString() {
            return "all";
        }
    }

    /** Connections in one of the given states. */
    record States(Set<TcpState> states) implements Filter {
        public States {
            states = states.isEmpty() ? EnumSet.noneOf(TcpState.class) : EnumSet.copyOf(states);
        }

        @Override
        public boolean test(TcpConnection c) {
            return states.contains(c.state());
        }

        @Override
        public String toString() {
            return "state" + states;
        }
    }

    /** {@code sport OP port} or {@code dport OP port}. */
    record Port(Side side, Comparison op, int port) implements Filter {
        @Override
        public boolean test(TcpConnection c) {
            return op.test(side == Side.SOURCE ? c.local().port() : c.remote().port(), port);
        }

        @Override
        public String toString() {
            return (side == Side.SOURCE ? "sport " : "dport ") + op.symbol() + " :" + port;
        }
    }

    /**
     * {@code src HOST[/PREFIX][:PORT]} or {@code dst ...}. An empty address matches any address; a
     * port of -1 matches any port. An IPv4 prefix also matches IPv4-mapped IPv6 addresses, as the
     * kernel's {@code INET_DIAG_BC_S_COND} does.
     */
    record Host(Side side, byte[] address, int prefixLength, int port) implements Filter {
        public Host {
            address = address.clone();
            int max = address.length * 8;
            if (prefixLength < 0 || prefixLength > max) {
                throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range 0-" + max);
            }
        }

        @Override
        public byte[] address() {
            return address.clone();
        }

        @Override
        public boolean test(TcpConnection c) {
            var e = side == Side.SOURCE ? c.local() : c.remote();
            if (port != -1 && e.port() != port) {
                return false;
            }
            if (address.length == 0) {
                return true;
            }
            // Same order as the kernel's inet_diag_bc_run: family first, then the prefix.
            int offset;
            if (e.addressLength() == address.length) {
                offset = 0;
            } else if (address.length == 4 && e.isV4Mapped()) {
                offset = 12;
            } else {
                return false;
            }
            for (int bit = 0; bit < prefixLength; bit++) {
                int mask = 0x80 >>> (bit & 7);
                if ((e.addressByte(offset + (bit >> 3)) & mask) != (address[bit >> 3] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Host h && h.side == side && h.prefixLength == prefixLength && h.port == port
                    && java.util.Arrays.equals(h.address, address);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(side, prefixLength, port) * 31 + java.util.Arrays.hashCode(address);
        }

        @Override
        public String toString() {
            String a = address.length == 0 ? "*" : org.tcpjmx.model.IpAddresses.format(address) + "/" + prefixLength;
            return (side == Side.SOURCE ? "src " : "dst ") + a + (port == -1 ? "" : ":" + port);
        }
    }

    /** Sockets this JVM holds a file descriptor on. */
    record Owned() implements Filter {
        @Override
        public boolean test(TcpConnection c) {
            return c.owned();
        }

        @Override
        public String toString() {
            return "owned";
        }
    }

    /** Connections using a congestion-control module ("stack" on Linux), matched case-insensitively. */
    record Stack(String name) implements Filter {
        /** The longest congestion-control module name ({@code TCP_CA_NAME_MAX} is 16 with the terminating NUL). */
        public static final int MAX_NAME_LENGTH = 15;
        private static final java.util.regex.Pattern NAME =
                java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_NAME_LENGTH + "}");
        /** The rule {@link #isName} checks, as error messages state it. */
        public static final String NAME_RULE = "1-" + MAX_NAME_LENGTH + " letters, digits, '_', '-', '.'";

        /** Whether {@code name} can be a congestion-control module name: the one rule the filter and tcpdrop -S share. */
        public static boolean isName(String name) {
            return name != null && NAME.matcher(name).matches();
        }

        @Override
        public boolean test(TcpConnection c) {
            return c.stack().equalsIgnoreCase(name);
        }

        @Override
        public String toString() {
            return "stack " + name;
        }
    }

    /** {@code dev NAME}: sockets bound to that interface (the socket id's {@code idiag_if}). */
    record Dev(int ifindex) implements Filter {
        @Override
        public boolean test(TcpConnection c) {
            return c.ifindex() == ifindex;
        }

        @Override
        public String toString() {
            return "dev " + ifindex;
        }
    }

    /**
     * {@code fwmark VALUE/MASK}: {@code (mark & mask) == value}. A socket whose mark the kernel did not
     * report (TIME_WAIT, request sockets) counts as mark 0, as ss counts it.
     */
    record Mark(long value, long mask) implements Filter {
        public Mark {
            if (value < 0 || value > 0xffffffffL || mask < 0 || mask > 0xffffffffL) {
                throw new IllegalArgumentException("a fwmark and its mask are 32-bit unsigned numbers");
            }
        }

        @Override
        public boolean test(TcpConnection c) {
            long mark = c.extras().hasMark() ? c.extras().mark() : 0;
            return (mark & mask) == value;
        }

        @Override
        public String toString() {
            return "fwmark 0x" + Long.toHexString(value) + "/0x" + Long.toHexString(mask);
        }
    }

    /** {@code cgroup PATH}: sockets of the cgroup v2 with that id (TIME_WAIT and request sockets have none). */
    record Cgroup(long id) implements Filter {
        @Override
        public boolean test(TcpConnection c) {
            return c.extras().cgroupId() == id;
        }

        @Override
        public String toString() {
            return "cgroup id " + Long.toUnsignedString(id);
        }
    }

    /**
     * {@code autobound}: the kernel picked the local port (the socket was not bound to an explicit
     * port) and it lies in {@code ip_local_port_range}, which is what ss selects. The platform
     * fills {@link org.tcpjmx.model.SocketExtras#autobound()} for a filter that uses this.
     */
    record Autobound() implements Filter {
        @Override
        public boolean test(TcpConnection c) {
            return c.extras().autobound();
        }

        @Override
        public String toString() {
            return "autobound";
        }
    }

    /**
     * Sockets of one address family, as ss's {@code inet:} and {@code inet6:} prefixes restrict its
     * whole answer: an IPv4-mapped socket is IPv6.
     */
    record Family(IpFamily family) implements Filter {
        @Override
        public boolean test(TcpConnection c) {
            return c.family() == family;
        }

        @Override
        public String toString() {
            return family == IpFamily.INET4 ? "family inet" : "family inet6";
        }
    }

    /** Both. */
    record And(Filter left, Filter right) implements Filter {
        @Override
        public boolean test(TcpConnection c) {
            return left.test(c) && right.test(c);
        }

        @Override
        public String toString() {
            return "(" + left + " and " + right + ")";
        }
    }

    /** Either. */
    record Or(Filter left, Filter right) implements Filter {
        @Override
        public boolean test(TcpConnection c) {
            return left.test(c) || right.test(c);
        }

        @Override
        public String toString() {
            return "(" + left + " or " + right + ")";
        }
    }

    /** Negation. */
    record Not(Filter inner) implements Filter {
        @Override
        public boolean test(TcpConnection c) {
            return !inner.test(c);
        }

        @Override
        public String toString() {
            return "not " + inner;
        }
    }

    /** Whether evaluating this filter needs the congestion-control module of each socket. */
    default boolean needsStack() {
        return uses(f -> f instanceof Stack);
    }

    /** Whether evaluating this filter needs to know which sockets this JVM owns. */
    default boolean needsOwner() {
        return uses(f -> f instanceof Owned);
    }

    /** Whether any node of this filter is one {@code leaf} accepts. */
    default boolean uses(Predicate<Filter> leaf) {
        if (leaf.test(this)) {
            return true;
        }
        if (this instanceof And a) {
            return a.left().uses(leaf) || a.right().uses(leaf);
        }
        if (this instanceof Or o) {
            return o.left().uses(leaf) || o.right().uses(leaf);
        }
        if (this instanceof Not n) {
            return n.inner().uses(leaf);
        }
        return false;
    }
}
