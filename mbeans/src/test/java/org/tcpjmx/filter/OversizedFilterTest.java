package org.tcpjmx.filter;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpjmx.linux.InetDiagBytecode;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.Endpoint;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.SocketTimer;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

/**
 * "Someone posts a megabyte of parentheses to the agent": a filter too long or nested too deep is
 * refused with a short message, before parsing, evaluation or the kernel compiler can overflow the
 * stack of the host JVM's thread (over HTTP a 20,000-term chain answered StackOverflowError).
 */
class OversizedFilterTest {
    private static final TcpConnection ROW = new TcpConnection(IpFamily.INET4, Endpoint.of("127.0.0.1", 80),
            Endpoint.of("127.0.0.1", 40000), TcpState.ESTABLISHED, 0, 0, 0, 1, 0, 1, SocketTimer.OFF, 0, 0, false, "cubic",
            Optional.empty(), Backend.NETLINK);

    @Test
    void aFilterLongerThanTheLimitIsRefusedQuotingOnlyItsStart() {
        String chain = "sport = :1 or ".repeat(20_000) + "sport = :2";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FilterParser.parse(chain));
        assertTrue(e.getMessage().startsWith("filter 'sport = :1 or "), e.getMessage());
        assertTrue(e.getMessage().contains(chain.length() + " characters long; at most " + FilterParser.MAX_LENGTH), e.getMessage());
        assertTrue(e.getMessage().length() < 200, "the message does not echo the whole filter: " + e.getMessage().length());
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedNamingWhere() {
        String parens = "(".repeat(FilterParser.MAX_NESTING + 1) + "established" + ")".repeat(FilterParser.MAX_NESTING + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FilterParser.parse(parens));
        assertTrue(e.getMessage().contains("at position " + (FilterParser.MAX_NESTING + 1) + ": nested more than "
                + FilterParser.MAX_NESTING + " levels deep"), e.getMessage());
        String nots = "not ".repeat(FilterParser.MAX_NESTING + 1) + "owned";
        assertThrows(IllegalArgumentException.class, () -> FilterParser.parse(nots));
        String bangs = "!".repeat(FilterParser.MAX_NESTING + 1) + "owned";
        assertThrows(IllegalArgumentException.class, () -> FilterParser.parse(bangs));
    }

    @Test
    void theLongestAndDeepestFiltersAcceptedParseEvaluateAndCompile() {
        String deep = "(".repeat(FilterParser.MAX_NESTING) + "established" + ")".repeat(FilterParser.MAX_NESTING);
        assertTrue(FilterParser.parse(deep).test(ROW));
        String notNot = "not ".repeat(FilterParser.MAX_NESTING) + "established";
        assertTrue(FilterParser.parse(notNot).test(ROW), "an even number of nots");
        // The shortest terms give the deepest chain the length limit allows: about 1000 levels of 'or'.
        StringBuilder chain = new StringBuilder("big");
        while (chain.length() + 4 <= FilterParser.MAX_LENGTH) {
            chain.append("|big");
        }
        Filter f = FilterParser.parse(chain.toString());
        assertTrue(f.test(ROW), "ESTABLISHED is one of ss's 'big' states");
        assertTrue(InetDiagBytecode.plan(f).bytecode().length % 4 == 0);
        Filter and = FilterParser.parse("established ".repeat(FilterParser.MAX_LENGTH / 12));
        assertTrue(and.test(ROW));
        InetDiagBytecode.plan(and);
    }
}
