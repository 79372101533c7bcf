package org.tcpjmx.platform;

import java.util.List;
import java.util.Random;

/**
 * Random filters from the whole of ss's grammar (misc/ssfilter.y), spelt as ss takes them (every
 * token between spaces), over the addresses and ports of {@link SsDifferentialScene}. It knows
 * whether a filter mixes {@code and} and {@code or} in one list without parentheses (a drop must
 * refuse it), and it keeps out the few forms where ss's own reading is documented to differ from
 * the kernel's rule tcpjmx follows (filters.md, "Where tcpjmx differs from ss"): an all-zero
 * address or a zero prefix under negation, and autobound under negation; with {@code dev}, ss runs
 * no bytecode at all, so the same forms are kept out of the whole filter. A filter uses all-zero
 * addresses or autobound, never both.
 */
final class SsFilterGenerator {
    /** A filter, and whether a list in it mixes and with or without parentheses. */
    record Generated(String text, boolean mixed) {
    }

    private static final List<String> OR = List.of("or", "|", "||");
    private static final List<String> AND = List.of("and", "&", "&&", "");
    private static final List<String> PORT_OPS = List.of("", "=", "==", "eq", "!=", "ne", "neq", "<", "lt", "<=", "le",
            "leq", ">", "gt", ">=", "ge", "geq");
    private static final List<String> PORTS = List.of("5001", ":5001", "0x1389", "011611", ":5002", "5003", ":5005",
            "5006", "80", ":http", ":https", "26747", ":22", "ssh", "7001", "32768", ":40000", "60999", "0", "inet::5001",
            "inet6::5002");
    private static final List<String> HOSTS = List.of("10.1.0.1", "10.1.0.1:5001", "10.1.0.0/24", "10/8", "10.2/16",
            "10.2.0.1", "10.1.0.1:22", "192.168.5/24", "192.168.5.41:80", "192.168.5.1:26747", "192.168.5.0/255.255.255.0",
            "127.0.0.1", "127/8", "127.0.0.1/8:5003", "[fd00:1::1]", "[fd00:1::1]:5002", "[fd00::/16]", "fd00:2::/64",
            "[::ffff:127.0.0.1]", "[::ffff:127.0.0.1]:5003", "[::1]", "*", "*:5001", "*:5003", "*:http", "any", "localhost",
            "inet:10.1.0.0/16", "inet6:[fd00:1::/64]", "[fe80::1]", "[fe80::/64]:5005", "[fe80::2]:5006", "193.233.7/24",
            "193.233.7.1:https", "inet:*:5001", "inet6:any");
    /** Where ss's bit-by-bit comparison across families differs from the kernel's: positive use only. */
    private static final List<String> ZERO_HOSTS = List.of("0/0", "0.0.0.0", "[::]", "[::]:5003", "0.0.0.0/8", "0/0:5001");
    private static final List<String> STATES = List.of("state established", "state connected", "exclude listening",
            "state syn-sent state time-wait", "state listening", "exclude time-wait exclude syn-sent", "state all",
            "state close-wait state fin-wait-2", "state synchronized", "state bucket", "state big");

    private final Random random;
    private final int d1;
    private boolean dev;
    /** Which of ss's two differing readings this filter may use (never both: see next()). */
    private boolean zeroHosts;
    private boolean mixed;

    SsFilterGenerator(long seed, int d1Index) {
        this.random = new Random(seed);
        this.d1 = d1Index;
    }

    Generated next() {
        dev = random.nextInt(5) == 0;
        // An all-zero address (the kernel's reading is a subset of ss's own) and autobound (tcpjmx reads
        // it as both of ss's readings at once) each agree with ss alone, but not or'ed with each other:
        // ss intersects two whole-filter readings, which mixes them.
        zeroHosts = random.nextBoolean();
        mixed = false;
        StringBuilder s = new StringBuilder();
        if (random.nextInt(4) == 0) {
            s.append(pick(STATES)).append(' ');
        }
        s.append(list(0, false));
        return new Generated(s.toString().trim().replaceAll(" +", " "), mixed);
    }

    private String list(int depth, boolean negated) {
        int n = 1 + random.nextInt(depth == 0 ? 4 : 3);
        StringBuilder s = new StringBuilder(operand(depth, negated));
        boolean sawOr = false;
        boolean sawAnd = false;
        for (int i = 1; i < n; i++) {
            boolean or = random.nextBoolean();
            sawOr |= or;
            sawAnd |= !or;
            s.append(' ').append(pick(or ? OR : AND)).append(' ').append(operand(depth, negated));
        }
        if (sawOr && sawAnd) {
            mixed = true;
        }
        return s.toString();
    }

    private String operand(int depth, boolean negated) {
        int r = random.nextInt(100);
        if (depth < 2 && r < 20) {
            return "( " + list(depth + 1, negated) + " )";
        }
        if (r < 32) {
            return pick(List.of("not", "!")) + " " + operand(depth, !negated);
        }
        return leaf(negated);
    }

    private String leaf(boolean negated) {
        boolean exact = !negated && !dev; // ss's bytecode-and-user-space reading is the kernel's here
        int r = random.nextInt(100);
        if (r < 35) {
            String op = pick(PORT_OPS);
            String port = pick(PORTS);
            return pick(List.of("sport", "dport")) + " " + op + " " + port;
        }
        if (r < 45) {
            String op = pick(List.of("", "=", "==", "eq", "!=", "ne"));
            return pick(List.of("sport", "dport")) + " " + op + " *";
        }
        if (r < 80) {
            String host = exact && zeroHosts && random.nextInt(4) == 0 ? pick(ZERO_HOSTS) : pick(HOSTS);
            return pick(List.of("src", "dst")) + " " + pick(List.of("", "=")) + " " + host;
        }
        if (r < 88 && dev) {
            return pick(List.of("dev d1", "dev = d2", "dev != d1", "dev lo", "dev 1", "dev = " + d1, "dev != d2"));
        }
        if (r < 94) {
            return pick(List.of("fwmark 0/0", "fwmark = 0x0", "fwmark != 0x1/0x1", "fwmark 1", "fwmark = 0/0x3"));
        }
        return exact && !zeroHosts ? "autobound" : "sport >= 32768";
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
