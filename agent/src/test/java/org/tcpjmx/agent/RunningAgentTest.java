package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;

/**
 * The agent in this JVM, served over real HTTP on loopback: the access rules as a client meets them.
 * The end-to-end tests (*IT) do the same against other JVMs through the agent jar.
 */
class RunningAgentTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private RunningAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void readsGoByGetExecOnlyByPostAndOnlyTcpjmxMBeansAreVisible() throws Exception {
        agent = RunningAgent.start(AgentOptions.parse("port=0"), SERVER);
        String url = agent.jolokiaUrl();
        assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/jolokia/"), url);
        assertEquals(url, System.getProperty(AgentProperties.URL));
        assertTrue(System.getProperty(AgentProperties.STATUS).startsWith("running: at " + url));

        Answer histogram = Http.get(url + "read/org.tcpjmx:type=States/Histogram");
        assertEquals(200, histogram.jolokiaStatus(), histogram.body());
        assertEquals(11, ((Map<?, ?>) histogram.value()).size(), histogram.body());

        Answer runtime = Http.get(url + "read/java.lang:type=Runtime/Name");
        assertEquals(403, runtime.jolokiaStatus(), runtime.body());
        Answer search = Http.get(url + "search/*:*");
        for (Object name : (List<?>) search.value()) {
            assertTrue(String.valueOf(name).startsWith("org.tcpjmx:"), search.body());
        }
        assertTrue(((List<?>) search.value()).contains("org.tcpjmx:type=Agent"), search.body());

        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = listener.getLocalPort();
            String query = "exec/org.tcpjmx:type=Connections/query/sport%20=%20:" + port + "/10";
            for (String get : List.of(url + query, url + "?p=/" + query, url + "%65xec/org.tcpjmx:type=Connections/query/x/1")) {
                Answer refused = Http.get(get);
                assertEquals(405, refused.status(), get + " -> " + refused.body());
                assertTrue(refused.body().contains("POST"), refused.body());
            }
            Answer rows = Http.post(url, Http.exec("org.tcpjmx:type=Connections", "query", "src 127.0.0.1:" + port, 10));
            assertEquals(200, rows.jolokiaStatus(), rows.body());
            List<?> list = (List<?>) rows.value();
            assertEquals(1, list.size(), rows.body());
            assertEquals("LISTEN", ((Map<?, ?>) list.get(0)).get("state"));
        }
        assertEquals(405, Http.method(url + "read/org.tcpjmx:type=States/Total", "PUT").status());
        Answer write = Http.get(url + "write/org.tcpjmx:type=States/SampleIntervalMillis/5000");
        assertEquals(405, write.status(), write.body());
    }

    @Test
    void browserOriginsAreRefused() {
        agent = RunningAgent.start(AgentOptions.parse("port=0"), SERVER);
        String url = agent.jolokiaUrl();
        Answer fromPage = Http.get(url + "read/org.tcpjmx:type=States/Total", "Origin", "http://evil.example");
        assertEquals(403, fromPage.status(), fromPage.body());
        Answer posted = Http.post(url, Http.read("org.tcpjmx:type=States", "Total"), "Origin", "http://evil.example");
        assertEquals(403, posted.status(), posted.body());
        Answer referred = Http.get(url + "read/org.tcpjmx:type=States/Total", "Referer", "http://evil.example/page.html");
        assertEquals(403, referred.status(), referred.body());
        Answer plain = Http.get(url + "read/org.tcpjmx:type=States/Total");
        assertEquals(200, plain.jolokiaStatus(), plain.body());
        assertFalse(plain.headers().containsKey("access-control-allow-origin"), plain.headers().toString());
    }

    @Test
    void basicAuthIsEnforcedWhenSetAndReadOnlyRefusesDrops() {
        agent = RunningAgent.start(AgentOptions.parse("port=0,user=ops,password=s3cret,readOnly=true"), SERVER);
        String url = agent.jolokiaUrl();
        assertEquals(401, Http.get(url + "read/org.tcpjmx:type=States/Total").status());
        assertEquals(401, Http.get(url + "read/org.tcpjmx:type=States/Total", Http.basic("ops", "wrong")).status());
        assertEquals(401, Http.get(url + "config/read/org.tcpjmx:type=States/Total").status());
        Answer ok = Http.get(url + "read/org.tcpjmx:type=Agent/ReadOnly", Http.basic("ops", "s3cret"));
        assertEquals(Boolean.TRUE, ok.value(), ok.body());
        Answer drop = Http.post(url, Http.exec("org.tcpjmx:type=Drop", "dropAll", true), Http.basic("ops", "s3cret"));
        assertEquals(403, drop.jolokiaStatus(), drop.body());
    }

    @Test
    void aPolicyFileNarrowsButNeverOpensOtherMBeans(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(dir.resolve("access.xml"), "<restrict>"
                + "<allow><mbean><name>java.lang:type=Runtime</name><attribute>Name</attribute></mbean></allow>"
                + "<cors><allow-origin>http://console.example:9000</allow-origin><strict-checking/></cors></restrict>");
        agent = RunningAgent.start(AgentOptions.parse("port=0,policy=" + policy), SERVER);
        String url = agent.jolokiaUrl();
        Answer name = Http.get(url + "read/java.lang:type=Runtime/Name");
        assertEquals(403, name.jolokiaStatus(), "a policy cannot open another domain: " + name.body());
        Answer diagnostic = Http.post(url, Http.exec("com.sun.management:type=DiagnosticCommand", "vmVersion"));
        assertEquals(403, diagnostic.jolokiaStatus(), diagnostic.body());
        Answer console = Http.get(url + "read/org.tcpjmx:type=States/Total", "Origin", "http://console.example:9000");
        assertEquals(200, console.jolokiaStatus(), console.body());
        assertEquals(List.of("http://console.example:9000"), console.headers().get("access-control-allow-origin"));
        assertEquals(403, Http.get(url + "read/org.tcpjmx:type=States/Total", "Origin", "http://evil.example").status());
    }

    @Test
    void bulkDropsSpareTheConnectionsToTheAgentsOwnPort() {
        agent = RunningAgent.start(AgentOptions.parse("port=0"), SERVER);
        String url = agent.jolokiaUrl();
        int port = java.net.URI.create(url).getPort();
        Answer drop = Http.post(url, Http.exec("org.tcpjmx:type=Drop", "dropMatching", "src 127.0.0.1:" + port, false));
        assertEquals(200, drop.jolokiaStatus(), drop.body());
        Map<?, ?> report = (Map<?, ?>) drop.value();
        assertEquals(0L, ((Number) report.get("dropped")).longValue(), drop.body());
        List<?> outcomes = (List<?>) report.get("outcomes");
        assertFalse(outcomes.isEmpty(), "the connection carrying the request is selected, and spared: " + drop.body());
        for (Object o : outcomes) {
            assertEquals("REFUSED", ((Map<?, ?>) o).get("status"), drop.body());
        }
        Answer list = Http.post(url, Http.exec("org.tcpjmx:type=Drop", "dropMatching", "src 127.0.0.1:" + port, true));
        assertEquals(List.of(), ((Map<?, ?>) list.value()).get("commands"), "never listed, so -l | sh cannot cut them: " + list.body());
        assertEquals(200, Http.get(url + "read/org.tcpjmx:type=Agent/ProtectedEndpoints").jolokiaStatus());
    }

    @Test
    void closingUnregistersEverythingAndStopsJolokiaThreads() throws Exception {
        agent = RunningAgent.start(AgentOptions.parse("port=0"), SERVER);
        String url = agent.jolokiaUrl();
        assertEquals(200, Http.get(url + "version").jolokiaStatus());
        assertFalse(SERVER.queryNames(new ObjectName("jolokia:*"), null).isEmpty(), "Jolokia registers its own MBeans");
        agent.close();
        agent = null;
        assertTrue(SERVER.queryNames(new ObjectName("org.tcpjmx:*"), null).isEmpty());
        assertTrue(SERVER.queryNames(new ObjectName("jolokia:*"), null).isEmpty());
        assertEquals(null, System.getProperty(AgentProperties.URL));
        assertTrue(System.getProperty(AgentProperties.STATUS).startsWith("stopped"));
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().startsWith("tcpjmx-http") || t.getName().equals("HTTP-Dispatcher"), t.getName());
        }
        assertThrows(AssertionError.class, () -> Http.get(url + "version"), "nothing listens any more");
    }

    @Test
    void aBusyPortFailsTheStartAndLeavesNothingRegistered() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RunningAgent.start(AgentOptions.parse("port=" + taken.getLocalPort()), SERVER));
            assertTrue(e.getMessage().contains("port=0"), e.getMessage());
        }
        assertTrue(SERVER.queryNames(new ObjectName("org.tcpjmx:*"), null).isEmpty());
    }

    @Test
    void byDefaultTheDropMBeanIsServedByTheAgentsJolokiaButNotInThePlatformMBeanServer() throws Exception {
        agent = RunningAgent.start(AgentOptions.parse("port=0"), SERVER);
        ObjectName drop = new ObjectName("org.tcpjmx:type=Drop");
        assertFalse(SERVER.isRegistered(drop), "Drop in the platform MBeanServer");
        assertTrue(SERVER.isRegistered(new ObjectName("org.tcpjmx:type=States")));
        assertFalse(javax.management.MBeanServerFactory.findMBeanServer(null).stream().anyMatch(s -> s.isRegistered(drop)),
                "Drop in an MBeanServer that MBeanServerFactory lists (where another Jolokia would find it)");
        Answer listed = Http.post(agent.jolokiaUrl(), Http.exec("org.tcpjmx:type=Drop", "dropMatching", "sport = :1 and dport = :1", true));
        assertEquals(200, listed.jolokiaStatus(), listed.body());
        agent.close();
        agent = RunningAgent.start(AgentOptions.parse("port=0,dropAccess=everywhere"), SERVER);
        assertTrue(SERVER.isRegistered(drop));
    }

    @Test
    void withoutJolokiaOnlyTheMBeansAreRegistered() throws Exception {
        agent = RunningAgent.start(AgentOptions.parse("jolokia=false"), SERVER);
        assertEquals("", agent.jolokiaUrl());
        assertEquals("", SERVER.getAttribute(new ObjectName("org.tcpjmx:type=Agent"), "JolokiaUrl"));
        assertTrue(SERVER.isRegistered(new ObjectName("org.tcpjmx:type=Connections")));
        assertEquals(null, System.getProperty(AgentProperties.URL));
    }
}
