package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tcpjmx.jmx.OpenDataAssertions.assertOpenData;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanAttributeInfo;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * {@code States.ByListeningPort}: the per-port breakdown a scraper can read (jmx_exporter reads
 * attributes, never operations), over a real RMI connector, with a server of the test's own.
 */
class ListeningPortHistogramsTest {
    private static final ObjectName STATES = TcpJmx.STATES;

    @Test
    void aServerPortShowsItsListenerAndConnectionsPerStateAndClientPortsDoNot() throws Exception {
        try (RemoteJmx jmx = new RemoteJmx(TcpJmxOptions.of(TcpPlatforms.open()));
             ServerSocket listener = exclusiveListener();
             Socket client = new Socket(InetAddress.getByName("127.0.0.1"), listener.getLocalPort());
             Socket served = listener.accept()) {
            int port = listener.getLocalPort();
            TabularData table = (TabularData) jmx.connection.getAttribute(STATES, "ByListeningPort");
            assertOpenData("ByListeningPort", declaredType(jmx), table);
            assertEquals(List.of("AtPort"), table.getTabularType().getIndexNames());
            assertTrue(table.size() <= ListeningPortCounts.PORT_LIMIT, "at most " + ListeningPortCounts.PORT_LIMIT + " ports: " + table.size());
            for (Object row : table.values()) {
                CompositeData r = (CompositeData) row;
                assertEquals(TcpState.values().length + 1, r.getCompositeType().keySet().size(), "AtPort and every state");
                assertEquals("AtPort", r.getCompositeType().keySet().iterator().next(), "first as JConsole lists the row");
            }

            CompositeData ours = table.get(new Object[] {port});
            assumeTrue(ours != null || table.size() < ListeningPortCounts.PORT_LIMIT,
                    "this host has more than " + ListeningPortCounts.PORT_LIMIT + " listening ports below " + port);
            assertTrue(ours != null, "our listener's port " + port + " in " + table.keySet());
            for (TcpState s : TcpState.values()) {
                long expected = s == TcpState.LISTEN || s == TcpState.ESTABLISHED ? 1 : 0;
                assertEquals(expected, ours.get(s.name()), s + " on " + port);
            }
            assertEquals(port, ours.get("AtPort"));
            assertNull(table.get(new Object[] {client.getLocalPort()}), "nothing listens on the client's ephemeral port");

            // Read with the other attributes (as jmx_exporter and JConsole do): the same rows.
            AttributeList together = jmx.connection.getAttributes(STATES, new String[] {"Histogram", "ByListeningPort"});
            assertEquals(2, together.size());
            TabularData again = (TabularData) together.asList().get(1).getValue();
            assertEquals(ours, again.get(new Object[] {port}));
        }
    }

    /**
     * JConsole shows a row's items in {@link javax.management.openmbean.CompositeType#keySet()}
     * order (sorted names, uppercase before lowercase): the port must come first, above the eleven
     * state counts, or an operator scrolls to the bottom of each row to learn which port it is.
     */
    @Test
    void jconsoleShowsThePortAboveTheStateCounts() {
        List<String> items = new ArrayList<>(HistogramTypes.PORT_HISTOGRAMS.getRowType().keySet());
        assertEquals("AtPort", items.get(0), "item order as JConsole lists it: " + items);
        assertEquals(TcpState.values().length + 1, items.size(), items.toString());
    }

    /**
     * A listener whose port no other socket of this host can have while it listens, so the counts of
     * its port are this test's alone: bound to the dual-stack wildcard without SO_REUSEADDR, it
     * conflicts with every other bind of that port, on any address (inet_csk_bind_conflict), and
     * connect() never picks a bound port as an ephemeral one. A listener on 127.0.0.1 would not do:
     * another process's client on 127.0.0.2 may get the same port, and the breakdown counts by
     * local port whatever the address.
     */
    private static ServerSocket exclusiveListener() throws java.io.IOException {
        ServerSocket l = new ServerSocket();
        l.setReuseAddress(false);
        l.bind(new java.net.InetSocketAddress(0), 5);
        return l;
    }

    @Test
    void theLimitKeepsTheLowestPorts() throws Exception {
        TcpPlatform platform = TcpPlatforms.open();
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            SortedMap<Integer, StateHistogram> one = ListeningPortCounts.count(platform, 1);
            assertEquals(1, one.size(), one.toString());
            assertTrue(one.firstKey() <= listener.getLocalPort(), "the lowest listening port is at most ours: " + one);

            List<Integer> ports = new ArrayList<>(ListeningPortCounts.count(platform, ListeningPortCounts.PORT_LIMIT).keySet());
            List<Integer> sorted = new ArrayList<>(ports);
            sorted.sort(null);
            assertEquals(sorted, ports, "ascending");
        }
    }

    private static OpenType<?> declaredType(RemoteJmx jmx) throws Exception {
        for (MBeanAttributeInfo a : jmx.connection.getMBeanInfo(STATES).getAttributes()) {
            if (a.getName().equals("ByListeningPort")) {
                return (OpenType<?>) a.getDescriptor().getFieldValue("openType");
            }
        }
        throw new AssertionError("States has no ByListeningPort attribute");
    }
}
