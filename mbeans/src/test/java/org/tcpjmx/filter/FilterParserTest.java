package org.tcpjmx.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.Endpoint;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.SocketTimer;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

/** The ss filter language as users write it, and the errors they get when they get it wrong. */
class FilterParserTest {

    static TcpConnection row(String local, int lport, String remote, int rport, TcpState state, String stack, boolean owned) {
        Endpoint l = Endpoint.of(local, lport);
        return new TcpConnection(l.addressLength() == 4 ? IpFamily.INET4 : IpFamily.INET6, l, Endpoint.of(remote, rport),
                state, 0, 0, 0, 1, 0, 1, SocketTimer.OFF, 0, 0, owned, stack, Optional.empty(), Backend.NETLINK);
    }

    private static final TcpConnection WEB = row("10.0.0.5", 80, "192.168.1.20", 51000, TcpState.ESTABLISHED, "cubic", true);
    private static final TcpConnection SSH_TW = row("10.0.0.5", 22, "192.168.1.21", 40000, TcpState.TIME_WAIT, "", false);
    private static final TcpConnection MAPPED = row("::ffff:127.0.0.1", 8080, "::ffff:127.0.0.1", 43000, TcpState.CLOSE_WAIT, "bbr", true);
    private static final TcpConnection V6 = row("2001:db8::1", 443, "2001:db8::99", 50000, TcpState.ESTABLISHED, "bbr", false);
    private static final TcpConnection LISTENER = row("0.0.0.0", 80, "0.0.0.0", 0, TcpState.LISTEN, "cubic", true);

    private static boolean matches(String filter, TcpConnection c) {
        return FilterParser.parse(filter).test(c);
    }

    @Test
    void emptyAndBlankFiltersMatchEverything() {
        assertTrue(matches(null, WEB));
        assertTrue(matches("", SSH_TW));
        assertTrue(matches("   ", LISTENER));
        assertTrue(matches("all", LISTENER));
    }

    @Test
    void statesAcceptTcpdropAndSsSpellingsInAnyCase() {
        assertTrue(matches("state established", WEB));
        assertTrue(matches("state ESTABLISHED", WEB));
        assertTrue(matches("estab", WEB));
        assertTrue(matches("state time-wait", SSH_TW));
        assertTrue(matches("TIME_WAIT", SSH_TW));
        assertTrue(matches("state close-wait", MAPPED));
        assertFalse(matches("state established", SSH_TW));
    }

    @Test
    void leadingStateClausesAreAUnionMinusExcludes() {
        assertTrue(matches("state established state time-wait", SSH_TW));
        assertTrue(matches("state established state time-wait", WEB));
        assertFalse(matches("exclude time-wait", SSH_TW));
        assertTrue(matches("exclude time-wait", WEB));
        assertFalse(matches("state all exclude listen", LISTENER));
        assertTrue(matches("state established sport = :80", WEB));
        assertFalse(matches("state established and sport = :22", WEB));
    }

    @Test
    void ssGroupsSelectTheirStates() {
        assertTrue(matches("state connected", WEB));
        assertFalse(matches("state connected", LISTENER));
        assertTrue(matches("state connected", SSH_TW), "ss's connected includes TIME_WAIT");
        assertTrue(matches("state bucket", SSH_TW));
        assertFalse(matches("state big", SSH_TW));
        assertTrue(matches("state big", LISTENER));
        assertTrue(matches("state synchronized", MAPPED));
        assertFalse(matches("state synchronized", row("1.1.1.1", 1, "2.2.2.2", 2, TcpState.SYN_SENT, "", false)));
    }

    @ParameterizedTest
    @CsvSource({
        "'sport = :80', true", "'sport == 80', true", "'sport eq :80', true", "'sport :80', true",
        "'sport != :80', false", "'sport neq 80', false", "'sport ne 80', false",
        "'sport < :81', true", "'sport lt 80', false", "'sport <= :80', true", "'sport le 79', false",
        "'sport > :79', true", "'sport gt 80', false", "'sport >= :80', true", "'sport ge 81', false",
        "'dport = :51000', true", "'dport > :50000 and sport < :1024', true"
    })
    void portComparisonsUseEveryOperatorSpelling(String filter, boolean expected) {
        assertEquals(expected, matches(filter, WEB), filter);
    }

    @Test
    void hostsMatchAddressesPrefixesAndPorts() {
        assertTrue(matches("src 10.0.0.5", WEB));
        assertTrue(matches("src 10.0.0.0/8", WEB));
        assertFalse(matches("src 10.0.1.0/24", WEB));
        assertTrue(matches("dst 192.168.1.20:51000", WEB));
        assertFalse(matches("dst 192.168.1.20:51001", WEB));
        assertTrue(matches("src *:80", WEB));
        assertTrue(matches("src [2001:db8::1]", V6));
        assertTrue(matches("src [2001:db8::]/32", V6));
        assertTrue(matches("src [2001:db8::1]:443", V6));
        assertTrue(matches("dst 2001:db8::99", V6));
        assertFalse(matches("src 10.0.0.5", V6));
        // An IPv4 prefix matches v4-mapped sockets, as the kernel's S_COND does.
        assertTrue(matches("src 127.0.0.1", MAPPED));
        assertTrue(matches("src 127.0.0.0/8:8080", MAPPED));
        assertTrue(matches("src [::ffff:127.0.0.1]", MAPPED));
        assertFalse(matches("src [::ffff:127.0.0.1]", row("127.0.0.1", 1, "127.0.0.1", 2, TcpState.ESTABLISHED, "", false)));
    }

    @Test
    void aFamilyPrefixOnAnyIsReadAsSsReadsIt() {
        // ss runs its filter twice: compiled, in the kernel, where "inet6:any" is "an IPv6 socket", and
        // again on each answer, where it is "any socket"; it selects what both accept.
        assertFalse(matches("src inet6:any dport = inet::51000", WEB));
        assertTrue(matches("src inet6:any", V6));
        assertTrue(matches("src inet:any", WEB));
        assertFalse(matches("not dst inet6:any", WEB), "the second reading refuses what the first lets through");
        assertTrue(matches("not dst inet6:any or sport = inet::80", WEB));
        assertFalse(matches("src inet:0.0.0.0/0 dport = inet6::50000", V6), "a zero-length IPv4 prefix is no IPv6 socket");
        // Ports and '*' carry no family in ss, whatever their prefix says.
        assertTrue(matches("dport = inet6::51000 src inet:*", WEB));
        assertTrue(matches("src any", WEB), "without a prefix, any is of every family");
    }

    @Test
    void booleanOperatorsAndParenthesesCombine() {
        assertTrue(matches("sport = :22 or sport = :80", WEB));
        assertTrue(matches("sport = :22 || sport = :80", WEB));
        assertFalse(matches("not sport = :80", WEB));
        assertTrue(matches("! sport = :22", WEB));
        assertTrue(matches("( sport = :22 or sport = :80 ) and state established", WEB));
        assertFalse(matches("(sport = :22 or sport = :80) && !established", WEB));
        assertTrue(matches("sport = :80 dport = :51000", WEB), "juxtaposition means and");
        assertFalse(matches("sport = :80 dport = :1", WEB));
        assertTrue(matches("not (sport = :1 or sport = :2)", WEB));
    }

    @Test
    void ownedAndStackExtensions() {
        assertTrue(matches("owned", WEB));
        assertFalse(matches("owned", SSH_TW));
        assertTrue(matches("stack cubic", WEB));
        assertTrue(matches("stack CUBIC", WEB));
        assertFalse(matches("stack bbr", WEB));
        assertFalse(matches("stack bbr", SSH_TW), "TIME_WAIT has no stack");
        assertTrue(FilterParser.parse("owned and stack bbr").needsOwner());
        assertTrue(FilterParser.parse("not (sport = :1 or stack bbr)").needsStack());
        assertFalse(FilterParser.parse("sport = :1").needsStack());
    }

    @Test
    void stateSetsAreParsedToTheirStates() {
        Filter f = FilterParser.parse("state bucket");
        assertEquals(new Filter.States(EnumSet.of(TcpState.SYN_RCVD, TcpState.TIME_WAIT)), f);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sport = :99999 | '99999' is not a port number 0-65535",
        "sport = :x | 'x' is not a port number",
        "sport = | expected a port after 'sport ='",
        "sport | unexpected end, expected a port after 'sport'",
        "sport ~ 80 | '~' at position 7: '~' is not a port number",
        "sport = :nosuchservice | 'nosuchservice' is not a port number and not a TCP service name",
        "dev = nosuchdev0 | 'nosuchdev0' at position 7: no interface of that name",
        "fwmark 1/2/3 | expected a mark VALUE or VALUE/MASK",
        "dev < 1 | 'dev' takes '=' or '!='",
        "src inet6:127.0.0.1 | is not an IPv6 address",
        "state bogus | 'bogus' at position 7: unknown state",
        "bogus | 'bogus' at position 1: unknown word",
        "( sport = :80 | '(' at position 1: '(' is never closed",
        "sport = :80 ) | ')' at position 13: unbalanced ')'",
        "sport = :80 and | 'and' at position 13: expected an expression after it",
        "src 999.1.1.1 | '999.1.1.1' at position 5: not a numeric address",
        "src 10.0.0.0/33 | prefix length '33' is not a number 0-32",
        "src [::1 | '[' without ']'",
        "dst no-such-host.invalid | 'no-such-host.invalid' is not a known host name",
        "stack | expected a congestion-control name",
        "() | empty parentheses",
        "not | unexpected end, expected an expression",
        "= 80 | '=' at position 1: expected an expression, not an operator",
        "exclude | expected a state name after 'exclude'"
    })
    void badFiltersNameTheTokenAndItsPosition(String filter, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FilterParser.parse(filter));
        assertTrue(e.getMessage().contains(message), "message was: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("filter '" + filter.trim() + "'") || e.getMessage().startsWith("filter '" + filter + "'"),
                "message names the filter: " + e.getMessage());
    }
}
