package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;

/**
 * A scrape costs one walk of the socket table: every attribute of {@code States} read in one
 * {@code getAttributes} call, or one attribute at a time inside a {@link RequestScope} (as the
 * agent serves a Jolokia request), comes from one snapshot; the kernel's counters cost no walk.
 * The walks are those the real platform counts, on a platform of this test's own, with sharing
 * between requests switched off ({@code SnapshotMaxAgeMillis} 0) so every request has to walk.
 */
class OneWalkPerReadTest {
    private final TcpPlatform platform = TcpPlatforms.open();
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private TcpJmx.Registration registration;
    private LoopbackConnections farm;

    @BeforeEach
    void register() throws Exception {
        registration = TcpJmx.register(server, TcpJmxOptions.of(platform));
        server.setAttribute(TcpJmx.STATES, new Attribute("SnapshotMaxAgeMillis", 0L));
        farm = new LoopbackConnections(platform);
    }

    @AfterEach
    void close() {
        farm.close();
        registration.close();
    }

    @Test
    void everyAttributeOfStatesReadTogetherCostsOneWalk() throws Exception {
        LoopbackConnections.Pair pair = farm.established(Flavor.IPV4);
        String[] names = readable(TcpJmx.STATES);

        long before = platform.tableWalks();
        AttributeList all = server.getAttributes(TcpJmx.STATES, names);
        assertEquals(1, platform.tableWalks() - before, "one walk for " + names.length + " attributes");
        assertEquals(names.length, all.size(), "every attribute read");

        Map<String, Object> v = values(all);
        CompositeData histogram = (CompositeData) v.get("Histogram");
        long sum = 0;
        for (TcpState s : TcpState.values()) {
            sum += (Long) histogram.get(s.name());
            if (s != TcpState.TIME_WAIT) {
                assertEquals(histogram.get(s.name()), v.get(s.attributeName()), s + ": the same walk as Histogram");
            }
        }
        assertEquals(sum, v.get("Total"), "Total is the sum of the Histogram read with it");
        CompositeData ours = ((TabularData) v.get("ByListeningPort")).get(new Object[] {pair.listenerPort()});
        if (ours != null) {
            // The listener and the server end; the client end's local port is an ephemeral one.
            assertTrue((Long) ours.get("LISTEN") >= 1L, ours.toString());
            assertTrue((Long) ours.get("ESTABLISHED") >= 1L, ours.toString());
        }
        assertTrue((Long) ((CompositeData) v.get("OwnHistogram")).get("LISTEN") >= 1, "our listener is this JVM's");
        assertTrue((Long) v.get("SnapshotAgeMillis") >= 0);
        assertTrue((Long) v.get("SnapshotTime") > 0);
    }

    @Test
    void readsOfOneRequestShareOneWalkAndRequestsDoNotWhenSharingIsOff() throws Exception {
        farm.established(Flavor.IPV4);
        String[] names = readable(TcpJmx.STATES);

        long before = platform.tableWalks();
        try (RequestScope scope = RequestScope.open()) {
            for (String n : names) {
                assertNotNull(server.getAttribute(TcpJmx.STATES, n), n);
            }
            server.getAttribute(TcpJmx.CONNECTIONS, "Count");
            try (RequestScope nested = RequestScope.open()) {
                server.getAttributes(TcpJmx.STATES, new String[] {"Histogram", "OwnHistogram"});
            }
        }
        assertEquals(1, platform.tableWalks() - before, "attribute by attribute, as Jolokia reads, within one request");

        before = platform.tableWalks();
        server.getAttribute(TcpJmx.STATES, "Histogram");
        server.getAttribute(TcpJmx.STATES, "ByListeningPort");
        assertEquals(2, platform.tableWalks() - before, "two requests with SnapshotMaxAgeMillis 0: two walks");
    }

    @Test
    void theKernelsCountersCostNoWalk() throws Exception {
        farm.timeWait(Flavor.IPV4);
        long before = platform.tableWalks();
        long count = (Long) server.getAttribute(TcpJmx.CONNECTIONS, "Count");
        long timeWait = (Long) server.getAttribute(TcpJmx.STATES, "TimeWait");
        AttributeList counters = server.getAttributes(TcpJmx.STATES,
                new String[] {"TimeWait", "Orphans", "Allocated", "MemoryPages", "TableWalks", "SnapshotMaxAgeMillis"});
        assertEquals(0, platform.tableWalks() - before, "Count, TimeWait and the other counters read no table");
        assertEquals(6, counters.size());
        assertTrue(count >= 1 && timeWait >= 1, "our TIME_WAIT entry is counted: Count " + count + ", TimeWait " + timeWait);
        Map<String, Object> v = values(counters);
        assertTrue((Long) v.get("Allocated") >= 0 && (Long) v.get("MemoryPages") >= 0 && (Long) v.get("Orphans") >= 0, v.toString());
        assertEquals(before, v.get("TableWalks"));
    }

    @Test
    void theWalkCounterCountsTableWalksAndNotListenerDumps() {
        long before = platform.tableWalks();
        platform.histogram(Filter.ALL);
        assertEquals(1, platform.tableWalks() - before, "a histogram walks the table");
        platform.tally(new Filter.States(java.util.EnumSet.of(TcpState.LISTEN)), false, (s, p, o) -> { });
        assertEquals(1, platform.tableWalks() - before, "listeners only: the kernel's listening hash, not the table");
    }

    @Test
    void theMaximumAgeIsBounded() throws Exception {
        for (long bad : new long[] {-1, 60_001}) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> server.setAttribute(TcpJmx.STATES, new Attribute("SnapshotMaxAgeMillis", bad)));
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            assertTrue(String.valueOf(t.getMessage()).contains(Long.toString(bad)), "names the value: " + t);
        }
        server.setAttribute(TcpJmx.STATES, new Attribute("SnapshotMaxAgeMillis", 250L));
        assertEquals(250L, server.getAttribute(TcpJmx.STATES, "SnapshotMaxAgeMillis"));
    }

    private String[] readable(ObjectName name) throws Exception {
        List<String> out = new ArrayList<>();
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
            if (a.isReadable()) {
                out.add(a.getName());
            }
        }
        return out.toArray(new String[0]);
    }

    private static Map<String, Object> values(AttributeList list) {
        Map<String, Object> out = new HashMap<>();
        for (Attribute a : list.asList()) {
            out.put(a.getName(), a.getValue());
        }
        return out;
    }
}
