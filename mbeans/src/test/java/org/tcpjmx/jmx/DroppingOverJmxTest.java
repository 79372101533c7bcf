package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.BlockedRead;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * tcpdrop over JMX, from a client that has only javax.management: one real connection cut by its
 * 4-tuple, a filter confined to this test's ports listed then dropped, the bulk operations in list
 * mode on a table confined to this test's sockets, read-only refusals and bad input. Nothing here
 * can touch another process's sockets: exact 4-tuples and filters on this test's listener ports
 * only, and {@code dropAll} only with {@code listOnly=true} on a confined table.
 */
class DroppingOverJmxTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectName DROP = TcpJmx.DROP;
    private static final String[] FOUR = {"java.lang.String", "java.lang.Integer", "java.lang.String", "java.lang.Integer"};
    private static final String[] STRING_BOOLEAN = {"java.lang.String", "java.lang.Boolean"};
    private static final TcpPlatform PLATFORM = TcpPlatforms.open();

    private LoopbackConnections farm;
    private final List<RemoteJmx> servers = new ArrayList<>();

    @BeforeEach
    void farm() {
        farm = new LoopbackConnections(PLATFORM);
    }

    @AfterEach
    void close() throws Exception {
        for (RemoteJmx r : servers) {
            r.close();
        }
        farm.close();
    }

    private MBeanServerConnection connect(TcpJmxOptions options) throws Exception {
        RemoteJmx r = new RemoteJmx(options);
        servers.add(r);
        return r.connection;
    }

    private static List<String> strings(CompositeData report, String key) {
        return Arrays.asList((String[]) report.get(key));
    }

    @Test
    void dropOfAnExactFourTupleCutsTheRealConnection() throws Exception {
        MBeanServerConnection client = connect(TcpJmxOptions.of(PLATFORM));
        Pair p = farm.established(Flavor.V4_MAPPED);
        BlockedRead peer = BlockedRead.start(p.server());
        CompositeData report = (CompositeData) client.invoke(DROP, "drop",
                new Object[] {"::ffff:127.0.0.1", p.clientPort(), "::ffff:127.0.0.1", p.listenerPort()}, FOUR);
        assertEquals(1, report.get("matched"), report.toString());
        assertEquals(1, report.get("dropped"), report.toString());
        assertEquals(0, report.get("failed"));
        assertEquals(List.of(), strings(report, "errors"));
        CompositeData[] outcomes = (CompositeData[]) report.get("outcomes");
        assertEquals(1, outcomes.length);
        assertEquals("DROPPED", outcomes[0].get("status"));
        assertEquals(p.clientTuple(), outcomes[0].get("connection"));

        BlockedRead.Ending ending = peer.await(WAIT);
        assertInstanceOf(SocketException.class, ending.error(), ending.toString());
        assertEquals("Connection reset", ending.error().getMessage());
        farm.awaitTable(rows -> rows.stream().noneMatch(p::isEitherEnd), "the connection gone from the table");
    }

    @Test
    void dropMatchingOnThisTestsPortListsThenDrops() throws Exception {
        MBeanServerConnection client = connect(TcpJmxOptions.of(PLATFORM));
        Pair established = farm.established(Flavor.IPV4);
        Pair leak = farm.closeWait(Flavor.IPV4);
        int port = farm.listenerPort(Flavor.IPV4);
        // By the listener's address and port: another process's socket may have the same port on 127.0.0.2.
        String filter = "src 127.0.0.1:" + port + " or dst 127.0.0.1:" + port;
        List<String> before = farm.snapshot();

        CompositeData listed = (CompositeData) client.invoke(DROP, "dropMatching", new Object[] {filter, true}, STRING_BOOLEAN);
        Set<String> expected = new TreeSet<>();
        for (Pair p : List.of(established, leak)) {
            expected.add("tcpdrop " + p.clientTuple());
            expected.add("tcpdrop " + p.serverTuple());
        }
        assertEquals(expected, new TreeSet<>(strings(listed, "commands")), "listeners are never listed");
        assertEquals(4, listed.get("matched"));
        assertEquals(0, listed.get("dropped"));
        assertEquals(before, farm.snapshot(), "listOnly drops nothing");

        CompositeData dropped = (CompositeData) client.invoke(DROP, "dropMatching", new Object[] {filter, false}, STRING_BOOLEAN);
        assertEquals(0, dropped.get("failed"), dropped.toString());
        assertTrue((Integer) dropped.get("dropped") >= 2, "at least one end of each connection: " + dropped);
        assertEquals(List.of(), strings(dropped, "commands"));
        farm.awaitTable(List::isEmpty, "every connection of this test gone");
    }

    @Test
    void bulkOperationsInListModeOnAConfinedTable() throws Exception {
        Pair established = farm.established(Flavor.IPV6);
        Pair leak = farm.closeWait(Flavor.IPV6);
        Pair guarded = farm.established(Flavor.IPV6);
        // The registration sees only this farm's sockets and protects one connection, as the agent
        // protects its own management connections.
        MBeanServerConnection client = connect(TcpJmxOptions.of(farm.confined()).withProtectedConnection(guarded::isEitherEnd));
        List<String> before = farm.snapshot();

        CompositeData all = (CompositeData) client.invoke(DROP, "dropAll", new Object[] {true}, new String[] {"java.lang.Boolean"});
        assertEquals(Set.of("tcpdrop " + established.clientTuple(), "tcpdrop " + established.serverTuple(),
                "tcpdrop " + leak.clientTuple(), "tcpdrop " + leak.serverTuple()), new TreeSet<>(strings(all, "commands")),
                "the protected connection is not listed");
        assertEquals(0, all.get("dropped"));

        CompositeData closeWait = (CompositeData) client.invoke(DROP, "dropState", new Object[] {"close-wait", true},
                STRING_BOOLEAN);
        assertEquals(List.of("tcpdrop " + leak.serverTuple()), strings(closeWait, "commands"));

        String stack = (String) client.getAttribute(TcpJmx.SETTINGS, "CongestionControl");
        CompositeData byStack = (CompositeData) client.invoke(DROP, "dropStack", new Object[] {stack, true}, STRING_BOOLEAN);
        assertEquals(4, strings(byStack, "commands").size(), "every unprotected connection uses the default " + stack);
        CompositeData byStackState = (CompositeData) client.invoke(DROP, "dropStackState",
                new Object[] {stack, "FIN_WAIT_2", true}, new String[] {"java.lang.String", "java.lang.String", "java.lang.Boolean"});
        assertEquals(List.of("tcpdrop " + leak.clientTuple()), strings(byStackState, "commands"));

        CompositeData spec = (CompositeData) client.invoke(DROP, "dropSpec",
                new Object[] {"[::1]:" + established.clientPort() + " [::1]:" + established.listenerPort()}, new String[] {"java.lang.String"});
        assertEquals(1, spec.get("dropped"), spec.toString());
        before.removeIf(line -> line.contains(":" + established.clientPort()) && line.contains(":" + established.listenerPort()));
        farm.awaitTable(rows -> rows.stream().noneMatch(established::isEitherEnd), "the spec'd connection gone");
        assertEquals(before, farm.snapshot(), "list mode dropped nothing; dropSpec dropped only its connection");

        // A real bulk drop on the confined table: the protected connection is skipped and said so.
        CompositeData spared = (CompositeData) client.invoke(DROP, "dropState", new Object[] {"ESTABLISHED", false},
                STRING_BOOLEAN);
        assertEquals(0, spared.get("matched"), spared.toString());
        assertEquals(0, spared.get("failed"), spared.toString());
        CompositeData[] outcomes = (CompositeData[]) spared.get("outcomes");
        assertEquals(2, outcomes.length, spared.toString());
        assertEquals(Set.of(guarded.clientTuple(), guarded.serverTuple()),
                Set.of(outcomes[0].get("connection"), outcomes[1].get("connection")));
        for (CompositeData o : outcomes) {
            assertEquals("REFUSED", o.get("status"), o.toString());
        }
        assertEquals(before, farm.snapshot(), "the protected connection survives");
    }

    @Test
    void aReadOnlyRegistrationRefusesEveryDropWithAClearMessage() throws Exception {
        Pair p = farm.established(Flavor.IPV4);
        MBeanServerConnection client = connect(TcpJmxOptions.of(farm.confined()).withReadOnly(true));
        List<Object[]> calls = List.of(
                new Object[] {"drop", new Object[] {"127.0.0.1", p.clientPort(), "127.0.0.1", p.listenerPort()}, FOUR},
                new Object[] {"dropSpec", new Object[] {p.clientTuple()}, new String[] {"java.lang.String"}},
                new Object[] {"dropAll", new Object[] {true}, new String[] {"java.lang.Boolean"}},
                new Object[] {"dropState", new Object[] {"ESTABLISHED", false}, STRING_BOOLEAN},
                new Object[] {"dropStack", new Object[] {"cubic", false}, STRING_BOOLEAN},
                new Object[] {"dropStackState", new Object[] {"cubic", "ESTABLISHED", false},
                    new String[] {"java.lang.String", "java.lang.String", "java.lang.Boolean"}},
                new Object[] {"dropMatching", new Object[] {"state established", false}, STRING_BOOLEAN});
        for (Object[] call : calls) {
            RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class,
                    () -> client.invoke(DROP, (String) call[0], (Object[]) call[1], (String[]) call[2]), (String) call[0]);
            assertInstanceOf(SecurityException.class, e.getCause(), (String) call[0]);
            assertEquals("tcpjmx is read-only (readOnly=true): drop operations are refused", e.getCause().getMessage());
        }
        farm.awaitTable(rows -> rows.stream().filter(p::isEitherEnd).count() == 2, "the connection still there");
    }

    @Test
    void badDropArgumentsGetMessagesNamingThem() throws Exception {
        MBeanServerConnection client = connect(TcpJmxOptions.of(farm.confined()));
        assertBadArgument(client, "dropState", new Object[] {"bogus", true}, STRING_BOOLEAN, "bogus");
        assertBadArgument(client, "dropState", new Object[] {"LISTEN", true}, STRING_BOOLEAN, "LISTEN");
        assertBadArgument(client, "dropMatching", new Object[] {"", false}, STRING_BOOLEAN, "use dropAll");
        assertBadArgument(client, "dropMatching", new Object[] {"sport >", true}, STRING_BOOLEAN, "sport");
        assertBadArgument(client, "drop", new Object[] {"127.0.0.1", 0, "127.0.0.1", 80}, FOUR, "local port");
        assertBadArgument(client, "drop", new Object[] {"127.0.0.1", 1, "::1", 80}, FOUR, "same family");
        assertBadArgument(client, "dropSpec", new Object[] {"127.0.0.1"}, new String[] {"java.lang.String"}, "127.0.0.1");
        assertBadArgument(client, "dropAll", new Object[] {null}, new String[] {"java.lang.Boolean"}, "'listOnly' is missing");
    }

    private static void assertBadArgument(MBeanServerConnection client, String op, Object[] args, String[] sig,
                                          String mentioned) {
        RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class, () -> client.invoke(DROP, op, args, sig),
                op + Arrays.toString(args));
        assertInstanceOf(IllegalArgumentException.class, e.getCause(), op + Arrays.toString(args));
        assertTrue(e.getCause().getMessage().contains(mentioned), op + ": " + e.getCause().getMessage());
    }
}
