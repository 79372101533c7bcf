package org.tcpjmx.agent.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jolokia.json.parser.JSONParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.HostCapabilities;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * Every script of examples/recipes, run for real with bash against the demo server with the agent
 * attached, its output checked. The drop recipes only ever cut connections this test opened to the
 * demo (or the demo's own leaked ones): they are confined to the demo's leaky port, or name one
 * connection of the test's own.
 */
class RecipesIT {
    private static final Set<String> STATES = Set.of("CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT",
            "FIN_WAIT_1", "FIN_WAIT_2", "CLOSING", "LAST_ACK", "TIME_WAIT");

    private static RecipeDemo demo;

    @BeforeAll
    static void startTheDemo() {
        demo = RecipeDemo.start(List.of(), "--port", "0", "--clients", "1", "--idle", "1", "--leak-close-wait", "2");
    }

    @AfterAll
    static void stopTheDemo() {
        demo.close();
    }

    private static AgentCli.Result succeeded(AgentCli.Result r) {
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    /** "NAME NUMBER" lines into a map, failing on any other line. */
    private static Map<String, Long> pairs(String out) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            assertEquals(2, f.length, "NAME VALUE: '" + line + "' in\n" + out);
            m.put(f[0], Long.parseLong(f[1]));
        }
        return m;
    }

    @Test
    void theCurlLinesAndTheRecipeTheDemoPrintsWork() {
        RecipeDemo.assumeCurl();
        List<String> hints = demo.process().stdout().stream().filter(l -> l.startsWith("  curl ") || l.startsWith("  TCPJMX_URL="))
                .map(String::trim).toList();
        assertEquals(4, hints.size(), "three curl lines and one recipe: " + demo.process().stdout());
        String root = RecipeDemo.examples().getParent().toString();
        for (String line : hints) {
            AgentCli.Result r = AgentCli.exec(List.of("bash", "-c", "cd '" + root + "' && " + line), Map.of());
            assertEquals(0, r.status(), line + "\n" + r);
            assertTrue(line.startsWith("TCPJMX_URL=") ? r.out().startsWith("listed ") : r.out().contains("\"status\":200"),
                    line + "\n" + r);
        }
    }

    @Test
    void theHistogramHasEveryStateAndTheDemosLeak() {
        RecipeDemo.assumeCurl();
        Map<String, Long> histogram = pairs(succeeded(demo.recipe("histogram.sh")).out());
        assertEquals(STATES, histogram.keySet());
        assertTrue(histogram.get("LISTEN") >= 2, "the demo listens on two ports: " + histogram);
        assertTrue(histogram.get("ESTABLISHED") >= 4, "the demo's client and idle connections, both ends: " + histogram);

        AgentCli.Result refused = RecipeDemo.runRecipe("http://127.0.0.1:1/jolokia/", "histogram.sh");
        assertTrue(refused.status() != 0, "no agent there: " + refused);
    }

    @Test
    void aFilteredQueryReturnsJustTheRowsAsked() throws Exception {
        RecipeDemo.assumeCurl();
        try (Socket ours = new Socket(InetAddress.getLoopbackAddress(), demo.echoPort)) {
            AgentCli.Result r = succeeded(demo.recipe("query.sh",
                    "src 127.0.0.1:" + demo.echoPort + " and dst 127.0.0.1:" + ours.getLocalPort(), "10"));
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = (Map<String, Object>) new JSONParser().parse(r.out());
            List<?> rows = (List<?>) answer.get("value");
            assertEquals(1, rows.size(), r.out());
            Map<?, ?> row = (Map<?, ?>) rows.get(0);
            assertEquals("ESTABLISHED", row.get("state"));
            assertEquals((long) demo.echoPort, ((Number) row.get("localPort")).longValue());
            assertEquals((long) ours.getLocalPort(), ((Number) row.get("remotePort")).longValue());
            assertEquals(Boolean.TRUE, row.get("owned"), "the demo JVM holds its end");
            assertTrue(((String) row.get("tcpdrop")).matches("tcpdrop \\S+ " + demo.echoPort + " \\S+ " + ours.getLocalPort()), row.toString());
        }
        AgentCli.Result listeners = succeeded(demo.recipe("query.sh", "state listening and src 127.0.0.1:" + demo.leakPort));
        assertTrue(listeners.out().contains("\"state\":\"LISTEN\""), listeners.out());

        AgentCli.Result bad = demo.recipe("query.sh", "state nonsense");
        assertEquals(1, bad.status(), bad.toString());
        assertTrue(bad.out().contains("\"status\":400") && bad.out().contains("nonsense"), "the agent names the bad state: " + bad);
    }

    @Test
    void listThenDropListsFirstAndDropsOnlyTheListedConnectionsOfOnePort() throws Exception {
        RecipeDemo.assumeCurl();
        List<Integer> ours = demo.leakCloseWait(2);

        AgentCli.Result listed = succeeded(demo.recipe("list-then-drop.sh", "CLOSE_WAIT"));
        for (int port : ours) {
            assertTrue(listed.out().lines().anyMatch(l -> l.matches("tcpdrop \\S+ " + demo.leakPort + " \\S+ " + port)), listed.out());
        }
        assertTrue(listed.out().contains("nothing dropped"), listed.out());
        assertEquals(2, demo.closeWaitOnLeakPort(ours), "listing drops nothing");

        AgentCli.Result dropped = succeeded(demo.recipe("list-then-drop.sh", "close-wait", Integer.toString(demo.leakPort)));
        for (int port : ours) {
            assertTrue(dropped.out().lines().anyMatch(l -> l.matches("\\S+ " + demo.leakPort + " \\S+ " + port + ": dropped")),
                    dropped.out());
        }
        assertTrue(dropped.out().lines().filter(l -> l.endsWith(": dropped")).allMatch(l -> l.split(" ")[1].equals(
                Integer.toString(demo.leakPort))), "only the leaky port's connections: " + dropped.out());
        assertEquals(0, demo.closeWaitOnLeakPort(ours));

        assertEquals(64, demo.recipe("list-then-drop.sh", "CLOSE_WAIT", "8080x").status());
    }

    @Test
    void dropOneResetsTheClientOfThatConnection() throws Exception {
        RecipeDemo.assumeCurl();
        try (Socket ours = new Socket(InetAddress.getLoopbackAddress(), demo.echoPort)) {
            BufferedReader echo = new BufferedReader(new InputStreamReader(ours.getInputStream(), StandardCharsets.UTF_8));
            OutputStream say = ours.getOutputStream();
            say.write("hello\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello", echo.readLine());
            String port = Integer.toString(ours.getLocalPort());

            AgentCli.Result r = succeeded(demo.recipe("drop-one.sh", "127.0.0.1", Integer.toString(demo.echoPort), "127.0.0.1", port));
            assertTrue(r.out().trim().matches("\\S+ " + demo.echoPort + " \\S+ " + port + ": dropped"), r.toString());
            ours.setSoTimeout(10_000);
            SocketException reset = assertThrows(SocketException.class, () -> {
                while (echo.readLine() != null) {
                    // Drain to the reset.
                }
            });
            assertTrue(reset.getMessage().toLowerCase().contains("reset"), reset.getMessage());

            AgentCli.Result again = demo.recipe("drop-one.sh", "127.0.0.1", Integer.toString(demo.echoPort), "127.0.0.1", port);
            assertEquals(1, again.status(), again.toString());
            assertTrue(again.out().contains("no such connection"), again.toString());
        }
        assertEquals(64, demo.recipe("drop-one.sh", "127.0.0.1", "80").status());
    }

    @Test
    void kernelCountersByNameAndAll() {
        RecipeDemo.assumeCurl();
        Map<String, Long> some = pairs(succeeded(demo.recipe("kernel-counters.sh", "TcpActiveOpens", "TcpExtListenOverflows",
                "TcpCurrEstab")).out());
        assertEquals(Set.of("TcpActiveOpens", "TcpExtListenOverflows", "TcpCurrEstab"), some.keySet());
        assertTrue(some.get("TcpActiveOpens") > 0 && some.get("TcpCurrEstab") > 0, some.toString());

        Map<String, Long> all = pairs(succeeded(demo.recipe("kernel-counters.sh")).out());
        assertTrue(all.size() > 20 && all.keySet().containsAll(Set.of("TcpActiveOpens", "TcpRetransSegs", "TcpExtTCPTimeouts")),
                all.toString());

        AgentCli.Result unknown = demo.recipe("kernel-counters.sh", "TcpNoSuchCounter");
        assertEquals(1, unknown.status(), unknown.toString());
        assertTrue(unknown.err().contains("TcpNoSuchCounter"), unknown.toString());
    }

    @Test
    void theCommandLineShowsStatesAndTableLocallyAndThroughTheAgent() {
        String filter = "src 127.0.0.1:" + demo.leakPort;
        for (String mode : List.of("--local", "--url")) {
            String[] via = mode.equals("--url") ? new String[] {"--url", demo.url} : new String[] {"--local"};
            Map<String, Long> states = pairs(succeeded(demo.recipe("cli-states.sh", concat(via, filter))).out());
            assertEquals(1L, states.get("LISTEN"), mode + " " + states);
            assertTrue(states.keySet().containsAll(STATES) && states.containsKey("TOTAL"), mode + " " + states);

            AgentCli.Result table = succeeded(demo.recipe("cli-table.sh", concat(via, filter)));
            List<String> lines = table.out().lines().toList();
            assertTrue(lines.get(0).startsWith("State"), table.out());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("LISTEN") && l.contains(":" + demo.leakPort + " ")), mode + "\n" + table.out());
        }
        // Without TCPJMX_URL and without --url, the command line reads the table itself.
        Map<String, Long> local = pairs(succeeded(RecipeDemo.runRecipe("", "cli-states.sh", filter)).out());
        assertEquals(1L, local.get("LISTEN"));
    }

    @Test
    void tcpdropListsAndThePipeIntoShDropsThroughTheAgent() throws Exception {
        tcpdropPipe("--url", demo.url);
    }

    @Test
    void tcpdropListsAndThePipeIntoShDropsLocally() throws Exception {
        assumeTrue(HostCapabilities.probe(TcpPlatforms.open("netlink")).canDropOthers(),
                "the command line's own JVM needs CAP_NET_ADMIN and SOCK_DESTROY to drop the demo's sockets");
        tcpdropPipe("--local");
    }

    private static void tcpdropPipe(String... via) throws Exception {
        List<Integer> ours = demo.leakCloseWait(2);
        AgentCli.Result r = succeeded(demo.recipe("cli-tcpdrop.sh", concat(via, "CLOSE_WAIT", Integer.toString(demo.leakPort))));
        Set<String> droppedPorts = new HashSet<>();
        for (String line : r.out().lines().toList()) {
            if (line.endsWith(": dropped")) {
                String[] f = line.split(" ");
                assertEquals(Integer.toString(demo.leakPort), f[1], "only the leaky port: " + r.out());
                droppedPorts.add(f[3].replace(":", ""));
            }
        }
        for (int port : ours) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("tcpdrop \\S+ " + demo.leakPort + " \\S+ " + port)), "listed: " + r.out());
            assertTrue(droppedPorts.contains(Integer.toString(port)), "dropped: " + r.out());
        }
        assertEquals(0, demo.closeWaitOnLeakPort(ours));
    }

    @Test
    void rebalanceThirdMovesAThirdOfOneClientsConnectionsAway() throws Exception {
        // Six connections of this test's own, from a peer address nothing else here uses.
        List<Socket> ours = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Socket s = new Socket();
                s.bind(new java.net.InetSocketAddress("127.0.0.3", 0));
                s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), demo.echoPort));
                ours.add(s);
            }
            String filter = "sport = :" + demo.echoPort + " and ( dst 127.0.0.3 or dst ::ffff:127.0.0.3 )";
            AgentCli.Result r = succeeded(demo.recipe("rebalance-third.sh", filter, "1"));
            assertTrue(r.out().contains("rebalance-third: 2 connections, 2 a second"), r.toString());
            assertTrue(r.out().contains("DONE: 2 dropped, 0 gone before their turn, 0 failed, of 2 selected"), r.toString());
            int reset = 0;
            for (Socket s : ours) {
                s.setSoTimeout(200);
                try {
                    s.getInputStream().read();
                } catch (java.net.SocketTimeoutException e) {
                    continue;
                } catch (SocketException e) {
                    reset++;
                }
            }
            assertEquals(2, reset, "round(0.33 x 6) of this client's connections were reset");
        } finally {
            for (Socket s : ours) {
                s.close();
            }
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] out = new String[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
