package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.linux.InetDiagBytecode;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;

/**
 * What the kernel filters (state mask and bytecode) agrees with what Java evaluates, and with ss,
 * for the same filter over the same real sockets.
 */
class KernelFilterAgreementTest {
    private static final TcpPlatform NETLINK = TcpPlatforms.open("netlink");
    private static LoopbackConnections farm;
    private static int a;
    private static int b;
    private static String ours;
    private static String ours4;
    private static String ours6;

    @BeforeAll
    static void sockets() {
        farm = new LoopbackConnections(NETLINK);
        a = farm.listenerPort(Flavor.IPV6);
        b = farm.listenerPort(Flavor.V4_MAPPED);
        farm.established(Flavor.IPV6);
        farm.established(Flavor.IPV6);
        farm.closeWait(Flavor.IPV6);
        farm.timeWait(Flavor.IPV6);
        farm.established(Flavor.V4_MAPPED);
        farm.timeWait(Flavor.V4_MAPPED);
        // This test's sockets by their listeners' addresses and ports, never by port alone: the ::1
        // listener's and the IPv4-mapped listener's. ss wants spaces around parentheses.
        ours6 = "( src [::1]:" + a + " or dst [::1]:" + a + " or src [::ffff:127.0.0.1]:" + b + " or dst [::ffff:127.0.0.1]:" + b + " )";
        ours4 = "( src 127.0.0.1:" + b + " or dst 127.0.0.1:" + b + " )";
        ours = "( " + ours6 + " or " + ours4 + " )";
    }

    @AfterAll
    static void close() {
        farm.close();
    }

    private List<String> filters() {
        return List.of(
                "sport = :" + a, "dport = :" + a, "sport != :" + a, "sport > :" + a, "sport >= :" + a,
                "sport < :" + a, "sport <= :" + a, "dport gt :" + b, "src ::1", "dst [::1]", "src [::1]:" + a,
                "src 127.0.0.1", "dst 127.0.0.0/8", "src [::ffff:127.0.0.1]", "dst *:" + b, "src [::]/0",
                "not sport = :" + a, "not ( sport = :" + a + " or dport = :" + b + " )",
                "state established", "state time-wait", "exclude listening", "state connected", "state bucket",
                "state big", "state synchronized", "state established and dport = :" + a,
                "state close-wait or dport = :" + a, "( established or time-wait ) and not src 127.0.0.1",
                "owned", "stack bbr", "owned and sport = :" + a,
                // ss's other conditions: kernel ops DEV_COND, MARK_COND, CGROUP_COND, AUTO
                "dev lo", "dev = 1", "dev != lo", "autobound", "not autobound", "autobound and dport = :" + a,
                "fwmark 0/0", "fwmark = 0", "fwmark != 0x1/0x1", "cgroup /", "not cgroup /",
                "src inet:127.0.0.1", "sport = inet6::" + a, "sport " + a + " or dport " + a + " and sport != " + a + " or dport " + b);
    }

    /**
     * The same filter with the kernel kept out: or'ed with a condition only Java evaluates (and no
     * socket meets), the platform dumps unfiltered and evaluates everything, autobound included.
     */
    private static String javaOnly(String filter) {
        return "( " + filter + " or stack no-such-cc )";
    }

    @Test
    void newConditionsRunInTheKernelAndInJavaAlike() {
        int inKernel = 0;
        for (String text : filters()) {
            if (text.contains("cgroup") && !java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/fs/cgroup"))) {
                continue;
            }
            Filter both = FilterParser.parse(ours + " and ( " + text + " )");
            if (InetDiagBytecode.plan(both).exact()) {
                inKernel++;
            }
            Set<String> kernel = tuples(NETLINK.connections(both, false));
            Set<String> java = tuples(NETLINK.connections(FilterParser.parse(ours + " and ( " + javaOnly(text) + " )"), false));
            assertEquals(java, kernel, "filter: " + text);
        }
        assertEquals(tuples(NETLINK.connections(FilterParser.parse(ours), false)),
                tuples(NETLINK.connections(FilterParser.parse(ours + " and fwmark 0"), false)), "no socket here has a mark");
        assertTrue(inKernel >= 35, "dev, fwmark, cgroup and autobound compile to bytecode; exact=" + inKernel);
        // The fixture's connections: the clients' ports were chosen by the kernel, the listeners' too.
        assertFalse(NETLINK.connections(FilterParser.parse(ours + " and autobound"), false).isEmpty());
    }

    @Test
    void kernelFilteredDumpsEqualJavaEvaluationOfTheFullDump() {
        List<TcpConnection> all = NETLINK.connections(FilterParser.parse(ours), false);
        assertTrue(all.size() >= 10, "the fixture made its sockets: " + all);
        int exact = 0;
        for (String text : filters()) {
            Filter f = FilterParser.parse(text);
            Filter both = new Filter.And(FilterParser.parse(ours), f);
            if (InetDiagBytecode.plan(both).exact()) {
                exact++;
            }
            if (f.uses(x -> x instanceof Filter.Autobound || x instanceof Filter.Cgroup)) {
                continue; // rows of the unfiltered dump carry no autobound flag; see the next test
            }
            Set<String> kernel = tuples(NETLINK.connections(both, false));
            Set<String> java = tuples(all.stream().filter(f::test).collect(Collectors.toList()));
            assertEquals(java, kernel, "filter: " + text);
        }
        assertTrue(exact >= 25, "most of these filters run entirely in the kernel; exact=" + exact);
    }

    @Test
    void ssSelectsTheSameSocketsForTheSameFilter() throws Exception {
        for (String text : filters()) {
            if (text.contains("owned") || text.contains("stack") || text.startsWith("( established")) {
                continue; // our extensions; ss has no such words
            }
            if (text.equals("src ::1") || text.contains("[::]/0")) {
                continue; // we accept a bare IPv6 address and a prefix after brackets; ss does not
            }
            if (text.contains("inet:") || text.contains("inet6:")) {
                continue; // in ss, a family prefix makes every later address of the other family an error (SsDifferentialTest)
            }
            if (text.contains("cgroup /")) {
                continue; // ss looks "/" up as the file system's root, not the cgroup2 root: see filters.md
            }
            if (text.startsWith("state close-wait or")) {
                continue; // ss's leading state list cannot be or'ed with an expression
            }
            // ss takes the state list apart from the expression: "state established and X" is "state established X".
            String ssFilter = text.replaceFirst("^(state \\S+) and ", "$1 ");
            boolean stateOnly = ssFilter.matches("(state|exclude) \\S+");
            // ss's first family prefix (inet:, inet6:) sets the family of every address after it: select
            // our sockets of that family only, in a form ss takes.
            String selection = text.contains("inet6:") ? ours6 : text.contains("inet:") ? ours4 : ours;
            Set<String> ss = TcpTableStatesTest.ssTuples(ssFilter + (stateOnly ? " " : " and ") + selection);
            Set<String> us = TcpTableStatesTest.sameTuples(NETLINK.connections(FilterParser.parse(text + " and " + selection), false));
            assertEquals(ss, us, "filter: " + text);
        }
    }

    @Test
    void histogramsCountWhatTheTableLists() {
        for (String text : List.of("", "owned", "sport = :" + a, "state time-wait", "stack bbr")) {
            Filter f = new Filter.And(FilterParser.parse(ours), FilterParser.parse(text));
            // Every state of the farm is stable: FIN_WAIT_2 is held by an open, half-closed client,
            // not an orphan on a timer, and TIME_WAIT lasts a minute.
            StateHistogram h = NETLINK.histogram(f);
            java.util.Map<TcpState, Long> counted = new java.util.EnumMap<>(TcpState.class);
            for (TcpState s : TcpState.values()) {
                counted.put(s, 0L);
            }
            NETLINK.connections(f, false).forEach(r -> counted.merge(r.state(), 1L, Long::sum));
            assertEquals(counted, h.toEnumMap(), text);
            assertEquals(TcpState.values().length, h.toMap().size(), "every state is present");
        }
        assertFalse(NETLINK.histogram(FilterParser.parse("state time-wait and " + ours)).count(TcpState.TIME_WAIT) == 0);
    }

    private static Set<String> tuples(List<TcpConnection> rows) {
        return TcpTableStatesTest.sameTuples(rows);
    }
}
