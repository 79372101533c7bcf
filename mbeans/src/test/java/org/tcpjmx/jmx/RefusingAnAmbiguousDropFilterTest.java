package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.RuntimeOperationsException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * A drop never depends on a precedence rule the operator may not know: dropMatching refuses a filter
 * that mixes and/or without parentheses, says how ss groups it, and drops nothing; the same filter
 * parenthesised drops what it says.
 */
class RefusingAnAmbiguousDropFilterTest {
    private static final TcpPlatform PLATFORM = TcpPlatforms.open();
    private static final String[] STRING_BOOLEAN = {"java.lang.String", "java.lang.Boolean"};

    @Test
    void anUnparenthesisedMixIsRefusedAndNothingIsDropped() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (LoopbackConnections farm = new LoopbackConnections(PLATFORM);
             TcpJmx.Registration r = TcpJmx.register(server, TcpJmxOptions.of(PLATFORM))) {
            Pair p = farm.established(Flavor.IPV4);
            String mine = p.clientFilter();
            // "src C and dst L or src C": ss reads it as "(src C and dst L) or src C", another reader as
            // "src C and (dst L or src C)"; the drop must not guess.
            String mixed = mine + " or " + mine.split(" and ")[0];
            Exception e = assertThrows(Exception.class,
                    () -> server.invoke(TcpJmx.DROP, "dropMatching", new Object[] {mixed, false}, STRING_BOOLEAN));
            Throwable cause = e instanceof RuntimeOperationsException ? e.getCause() : e;
            String message = String.valueOf(cause.getMessage());
            assertTrue(message.contains("mixes 'and' and 'or' without parentheses"), message);
            assertTrue(message.contains("ss reads it left to right, as '(" + mine + ") or "), message);
            assertEquals(1, PLATFORM.connections(FilterParser.parse(mine), false).size(), "nothing was dropped");
            assertTrue(p.client().isConnected());

            CompositeData listed = (CompositeData) server.invoke(TcpJmx.DROP, "dropMatching",
                    new Object[] {"( " + mine + " )", true}, STRING_BOOLEAN);
            assertEquals(1, listed.get("matched"), listed.toString());
        }
    }
}
