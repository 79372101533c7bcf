package org.tcpjmx.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.Endpoint;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.SocketExtras;
import org.tcpjmx.model.SocketTimer;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

/** ss's filter grammar (misc/ssfilter.y) with ss's meaning, on rows built here. */
class SsGrammarTest {
    private static TcpConnection row(String local, int lport, String remote, int rport, int ifindex, long mark) {
        Endpoint l = Endpoint.of(local, lport);
        return new TcpConnection(l.addressLength() == 4 ? IpFamily.INET4 : IpFamily.INET6, l, Endpoint.of(remote, rport),
                TcpState.ESTABLISHED, 0, 0, 0, 1, ifindex, 1, SocketTimer.OFF, 0, 0, false, "cubic", Optional.empty(),
                Backend.NETLINK, new SocketExtras(mark, 77, -1, -1, Optional.empty(), false));
    }

    private static final TcpConnection SSH = row("10.0.0.5", 22, "192.168.1.20", 51000, 0, 0x11);
    private static final TcpConnection WEB6 = row("fd00::5", 443, "fd00::99", 50000, 3, -1);
    private static final TcpConnection MAPPED = row("::ffff:127.0.0.1", 8080, "::ffff:127.0.0.1", 43000, 0, 0);

    private static boolean matches(String filter, TcpConnection c) {
        return FilterParser.parse(filter).test(c);
    }

    @Test
    void portsTakeAnOperatorOrNoneAndCNumbersAndServiceNames() {
        assertTrue(matches("sport 22", SSH));
        assertTrue(matches("sport :22", SSH));
        assertTrue(matches("sport = 0x16", SSH), "strtoul base 0: hex");
        assertTrue(matches("sport == 026", SSH), "strtoul base 0: octal");
        assertTrue(matches("dport geq 51000", SSH));
        assertTrue(matches("dport leq :51000", SSH));
        assertTrue(matches("sport = :ssh", SSH), "service name from /etc/services");
        assertTrue(matches("sport = *", SSH));
        assertFalse(matches("sport != *", SSH));
        assertTrue(matches("sport = inet::22", SSH), "a family prefix before the port");
        assertFalse(matches("sport = inet::443", WEB6), "inet: restricts the answer to IPv4");
    }

    @Test
    void hostsTakeEqualsShortFormsMasksAndAnyAddress() {
        assertTrue(matches("src = 10.0.0.5", SSH));
        assertTrue(matches("src 10/8", SSH), "iproute2 short form: 10.0.0.0/8");
        assertTrue(matches("dst 192.168.1/24", SSH));
        assertTrue(matches("dst 192.168.1.0/255.255.255.0", SSH), "dotted netmask");
        assertFalse(matches("dst 192.168.1.0/255.255.255.255", SSH));
        assertTrue(matches("src 10.0.0.0/8:22", SSH), "port after the prefix");
        assertTrue(matches("src 10.0.0.5:ssh", SSH));
        assertTrue(matches("src 0/0", SSH));
        assertTrue(matches("src 0/0", MAPPED), "an IPv4 condition matches IPv4-mapped sockets (the kernel's rule)");
        assertFalse(matches("src 0/0", WEB6), "and not other IPv6 sockets");
        assertTrue(matches("src any", WEB6));
        assertTrue(matches("src all", WEB6));
        assertTrue(matches("src default", SSH));
        assertTrue(matches("src [fd00::/64]", WEB6), "ss's bracketed prefix");
        assertTrue(matches("src fd00::/64", WEB6), "ss's bare IPv6 prefix");
        assertTrue(matches("src inet6:[fd00::5]:443", WEB6));
        assertFalse(matches("src inet6:any", SSH));
        assertTrue(matches("src inet6:any", MAPPED), "a mapped socket is an IPv6 socket");
        assertFalse(matches("src inet:any", MAPPED), "inet: keeps only AF_INET sockets, as ss's family filter");
        assertTrue(matches("dst localhost", MAPPED), "host names resolve");
    }

    @Test
    void devFwmarkCgroupAndAutobound() {
        assertTrue(matches("dev 3", WEB6));
        assertTrue(matches("dev = 3", WEB6));
        assertTrue(matches("dev != 3", SSH));
        assertEquals(new Filter.Dev(1), FilterParser.parse("dev lo"), "an interface name becomes its index");
        assertTrue(matches("fwmark 0x11", SSH));
        assertTrue(matches("fwmark = 0x1/0x1", SSH));
        assertFalse(matches("fwmark 0x2/0x2", SSH));
        assertTrue(matches("fwmark != 0x2/0x2", SSH));
        assertTrue(matches("fwmark 0", WEB6), "an unreported mark counts as 0, as ss counts it");
        assertEquals(new Filter.Autobound(), FilterParser.parse("autobound"));
        assertFalse(matches("autobound", SSH), "the platform fills the flag; a row without it is not autobound");
    }

    @Test
    void andAndOrAreReadLeftToRightAsSsDoes() {
        // The example: ss selected one socket, the old precedence two.
        TcpConnection a = row("127.0.0.1", 36266, "127.0.0.1", 5000, 0, 0);
        String f = "sport = :36266 or src 127.0.0.0/8 && dst [::] or src [::ffff:127.0.0.1]";
        assertFalse(matches(f, a), "((A or B) and C) or D: dst [::] fails for an IPv4 socket, D too");
        assertTrue(matches(f, MAPPED));
        assertEquals(FilterParser.parse("( ( sport 1 or sport 2 ) and sport 3 ) or sport 4"),
                FilterParser.parse("sport 1 or sport 2 and sport 3 or sport 4"));
        assertEquals(FilterParser.parse("( sport 1 or sport 2 ) and sport 3"), FilterParser.parse("sport 1 or sport 2 sport 3"),
                "juxtaposition is and, in the same flat list");
        assertEquals(FilterParser.parse("( not sport 1 ) and sport 2"), FilterParser.parse("not sport 1 and sport 2"));
    }

    @Test
    void aDropRefusesAMixWithoutParenthesesSayingHowSsGroupsIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FilterParser.parseForDrop("sport = :1 or sport = :2 and dport = :3 or dport = :4"));
        assertTrue(e.getMessage().contains("'((sport = :1 or sport = :2) and dport = :3) or dport = :4'"), e.getMessage());
        assertTrue(e.getMessage().contains("add parentheses"), e.getMessage());
        IllegalArgumentException j = assertThrows(IllegalArgumentException.class,
                () -> FilterParser.parseForDrop("( sport 1 ) or dport 2 dport 3"));
        assertTrue(j.getMessage().contains("'(( sport 1 ) or dport 2) and dport 3'"), j.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FilterParser.parseForDrop("state established and sport 1 or sport 2"));
        // Parenthesised, or one kind of operator per list: accepted, and read as parse reads it.
        assertEquals(FilterParser.parse("( sport 1 or sport 2 ) and dport 3"), FilterParser.parseForDrop("( sport 1 or sport 2 ) and dport 3"));
        FilterParser.parseForDrop("sport 1 or sport 2 or sport 3");
        FilterParser.parseForDrop("state established sport 1 dport 2");
        FilterParser.parseForDrop("not ( sport 1 or sport 2 ) and dport 3");
    }
}
