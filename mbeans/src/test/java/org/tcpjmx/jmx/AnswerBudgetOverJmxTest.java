package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanServerConnection;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.LoopbackConnections;

/**
 * A small answer budget (128 KiB: 10 plain rows, 256 tcpdrop lines) over a real RMI connector and a
 * table confined to this test's 300 sockets: every way to get rows either fits or is refused with
 * the count, the budget and the way out, and queryPage walks the whole table in cookie order.
 */
class AnswerBudgetOverJmxTest {
    private static final int PAIRS = 150;
    private static final String[] QUERY = {"java.lang.String", "java.lang.Integer"};
    private static final String[] PAGE = {"java.lang.String", "java.lang.String", "java.lang.Integer"};
    private static final TcpPlatform PLATFORM = TcpPlatforms.open();

    private static final AnswerBudget budget = AnswerBudget.of(128 << 10);
    private static LoopbackConnections farm;
    private static RemoteJmx jmx;
    private static MBeanServerConnection client;

    @BeforeAll
    static void start() throws Exception {
        farm = new LoopbackConnections(PLATFORM);
        for (int i = 0; i < PAIRS; i++) {
            farm.established(LoopbackConnections.Flavor.IPV4);
        }
        jmx = new RemoteJmx(TcpJmxOptions.of(farm.confined()).withAnswerBudget(budget));
        client = jmx.connection;
    }

    @AfterAll
    static void stop() throws Exception {
        jmx.close();
        farm.close();
    }

    private static String refusal(ThrowingCall call) {
        RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class, call::run);
        assertInstanceOf(IllegalArgumentException.class, e.getCause(), e.toString());
        return e.getCause().getMessage();
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aQueryOverTheBudgetIsRefusedWithTheCountTheBudgetAndTheWayOut() {
        String m = refusal(() -> client.invoke(TcpJmx.CONNECTIONS, "query", new Object[] {"", 0}, QUERY));
        assertTrue(m.contains(2 * PAIRS + " sockets match"), m);
        assertTrue(m.contains("answer budget of 128 KiB"), m);
        assertTrue(m.contains("queryPage"), m);
        String info = refusal(() -> client.invoke(TcpJmx.CONNECTIONS, "queryWithInfo", new Object[] {"", 0}, QUERY));
        assertTrue(info.contains("queryPageWithInfo"), info);
        assertEquals(0, budgetReserved(), "a refusal reserves nothing");
    }

    @Test
    void aQueryWithinTheBudgetAnswers() throws Exception {
        CompositeData[] rows = (CompositeData[]) client.invoke(TcpJmx.CONNECTIONS, "query", new Object[] {"", 8}, QUERY);
        assertEquals(8, rows.length);
        assertEquals(0, budgetReserved(), "without a request scope the reservation ends with the call");
    }

    @Test
    void theConnectionsAttributeOverTheBudgetIsRefusedAndLeftOutOfABulkRead() throws Exception {
        client.setAttribute(TcpJmx.CONNECTIONS, new Attribute("RowLimit", 0));
        try {
            RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class,
                    () -> client.getAttribute(TcpJmx.CONNECTIONS, "Connections"));
            assertTrue(e.getCause().getMessage().contains("RowLimit"), e.getCause().getMessage());
            AttributeList all = client.getAttributes(TcpJmx.CONNECTIONS, new String[] {"Connections", "Count"});
            assertEquals(List.of("Count"), all.asList().stream().map(Attribute::getName).toList());
        } finally {
            client.setAttribute(TcpJmx.CONNECTIONS, new Attribute("RowLimit", ConnectionsBean.DEFAULT_ROW_LIMIT));
        }
    }

    @Test
    void pagesWalkTheWholeTableOnceInCookieOrder() throws Exception {
        Set<Long> expected = new HashSet<>();
        for (TcpConnection c : farm.table()) {
            expected.add(c.cookie());
        }
        assertEquals(2 * PAIRS, expected.size());
        List<Long> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        do {
            CompositeData page = (CompositeData) client.invoke(TcpJmx.CONNECTIONS, "queryPage", new Object[] {"", after, 0}, PAGE);
            CompositeData[] rows = (CompositeData[]) page.get("rows");
            assertTrue(rows.length > 0 && rows.length <= 2, "PageRows is a quarter of 10 rows: " + rows.length);
            assertEquals(2 * PAIRS - seen.size(), (Long) page.get("remaining"));
            for (CompositeData r : rows) {
                seen.add((Long) r.get("cookie"));
            }
            after = (String) page.get("next");
            pages++;
        } while (!after.isEmpty());
        assertEquals(PAIRS, pages);
        assertEquals(expected, new HashSet<>(seen));
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no row twice");
        List<Long> sorted = new ArrayList<>(seen);
        sorted.sort(Long::compareUnsigned);
        assertEquals(sorted, seen, "pages come in cookie order");
    }

    @Test
    void aPageOverTheBudgetAndABadCursorAreRefused() {
        String big = refusal(() -> client.invoke(TcpJmx.CONNECTIONS, "queryPage", new Object[] {"", "", 11}, PAGE));
        assertTrue(big.contains("a page of 11 rows") && big.contains("at most 10"), big);
        String bad = refusal(() -> client.invoke(TcpJmx.CONNECTIONS, "queryPage", new Object[] {"", "12 x", 2}, PAGE));
        assertTrue(bad.contains("after='12 x' is not a cursor"), bad);
    }

    @Test
    void aListModeDropOverTheBudgetIsRefusedBeforeListing() {
        String m = refusal(() -> client.invoke(TcpJmx.DROP, "dropAll", new Object[] {true}, new String[] {"java.lang.Boolean"}));
        assertTrue(m.contains(2 * PAIRS + " connections match") && m.contains("queryPage"), m);
    }

    @Test
    void aBreakdownWithinTheBudgetAnswers() throws Exception {
        CompositeData[] rows = (CompositeData[]) client.invoke(TcpJmx.STATES, "byRemoteAddress", new Object[] {"", 0},
                new String[] {"java.lang.String", "java.lang.Integer"});
        assertEquals(1, rows.length, "one address, one state");
        assertEquals((long) 2 * PAIRS, rows[0].get("count"));
        assertFalse(((String) rows[0].get("remoteAddress")).isEmpty());
    }

    private static long budgetReserved() {
        return budget.reservedBytes();
    }
}
