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
    void snapshotOptionsSetTheStatesAttributesBeforeAnyRead() {
        agent = RunningAgent.start(AgentOptions.parse("port=0,snapshotMaxAge=0,walkBudget=7"), SERVER);
        Answer read = Http.get(agent.jolokiaUrl() + "read/org.tcpjmx:type=States/SnapshotMaxAgeMillis,WalkBudgetPercent,SnapshotServedAgeMillis");
        assertEquals(200, read.jolokiaStatus(), read.body());
        Map<?, ?> v = (Map<?, ?>) read.value();
        assertEquals(0L, ((Number) v.get("SnapshotMaxAgeMillis")).longValue(), read.body());
        assertEquals(7L, ((Number) v.get("WalkBudgetPercent")).longValue(), read.body());
        assertEquals(0L, ((Number) v.get("SnapshotServedAgeMillis")).longValue(), "sharing off: every read walks");
    }

    /** Refused the way Jolokia refuses: HTTP 200 with status 403 inside, which a web console does not take for bad credentials. */
    private static void assertRefusedOrigin(Answer a) {
        assertEquals(200, a.status(), a.body());
        assertEquals(403, a.jolokiaStatus(), a.body());
        assertTrue(a.body().contains("allowOrigin="), a.body());
        assertFalse(a.headers().containsKey("access-control-allow-origin"), a.headers().toString());
    }

    @Test
    void browserOriginsAreRefused() {
        agent = RunningAgent.start(AgentOptions.parse("port=0"), SERVER);
        String url = agent.jolokiaUrl();
        assertRefusedOrigin(Http.get(url + "read/org.tcpjmx:type=States/Total", "Origin", "http://evil.example"));
        assertRefusedOrigin(Http.post(url, Http.read("org.tcpjmx:type=States", "Total"), "Origin", "http://evil.example"));
        assertRefusedOrigin(Http.get(url + "read/org.tcpjmx:type=States/Total", "Referer", "http://evil.example/page.html"));
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
        assertRefusedOrigin(Http.get(url + "read/org.tcpjmx:type=States/Total", "Origin", "http://evil.example"));
        // A Referer without Origin from the listed origin passes the agent's filter and Jolokia's own check alike.
        Answer referred = Http.get(url + "read/org.tcpjmx:type=States/Total", "Referer", "http://console.example:9000/hawtio/jmx");
        assertEquals(200, referred.jolokiaStatus(), referred.body());
        assertRefusedOrigin(Http.get(url + "read/org.tcpjmx:type=States/Total", "Referer", "http://console.example:9001/hawtio/jmx"));
    }

    @Test
    void allowOriginAdmitsTheListedWebConsolesWithoutAPolicyFile() {
        agent = RunningAgent.start(AgentOptions.parse("port=0,allowOrigin=http://localhost:8080,http://127.0.0.1:9090,https://console.example"), SERVER);
        String url = agent.jolokiaUrl();
        for (String origin : List.of("http://localhost:8080", "http://127.0.0.1:9090")) {
            Answer a = Http.post(url, Http.read("org.tcpjmx:type=States", "Total"), "Origin", origin);
            assertEquals(200, a.jolokiaStatus(), origin + ": " + a.body());
            assertEquals(List.of(origin), a.headers().get("access-control-allow-origin"), origin);
            Answer referred = Http.get(url + "read/org.tcpjmx:type=States/Total", "Referer", origin + "/hawtio/jmx/attributes?nid=root");
            assertEquals(200, referred.jolokiaStatus(), origin + " as Referer: " + referred.body());
        }
        assertRefusedOrigin(Http.post(url, Http.read("org.tcpjmx:type=States", "Total"), "Origin", "http://localhost:8081"));
        // Pinned Jolokia 2.4 behaviour: a page served over https is not answered over plain HTTP, even when listed.
        Answer secure = Http.post(url, Http.read("org.tcpjmx:type=States", "Total"), "Origin", "https://console.example");
        assertEquals(403, secure.jolokiaStatus(), secure.body());
        assertTrue(secure.body().contains("should not be processed over HTTP"), secure.body());
        // Still only org.tcpjmx, and exec still only by POST, for an admitted origin.
        Answer other = Http.get(url + "read/java.lang:type=Runtime/Name", "Origin", "http://localhost:8080");
        assertEquals(403, other.jolokiaStatus(), other.body());
    }

    /** An MBean that answers with who is asking, as the drop audit lines see it. */
    public interface RequesterProbeMBean {
        String getRequester();
    }

    public static final class RequesterProbe implements RequesterProbeMBean {
        @Override
        public String getRequester() {
            return org.tcpjmx.jmx.CurrentRequester.get().describe();
        }
    }

    @Test
    void everyJolokiaRequestRunsAsItsUserOrAnonymousAndItsClientAddressAndPort() throws Exception {
        ObjectName probe = new ObjectName("org.tcpjmx:type=RequesterProbe");
        SERVER.registerMBean(new RequesterProbe(), probe);
        try {
            agent = RunningAgent.start(AgentOptions.parse("port=0,user=ops,password=s3cret"), SERVER);
            String url = agent.jolokiaUrl();
            Answer get = Http.get(url + "read/" + probe + "/Requester", Http.basic("ops", "s3cret"));
            assertTrue(String.valueOf(get.value()).matches("jolokia user=ops from 127\\.0\\.0\\.1:\\d+"), get.body());
            Answer post = Http.post(url, Http.read(probe.toString(), "Requester"), Http.basic("ops", "s3cret"));
            assertTrue(String.valueOf(post.value()).matches("jolokia user=ops from 127\\.0\\.0\\.1:\\d+"), post.body());
            agent.close();
            agent = null;
            agent = RunningAgent.start(AgentOptions.parse("port=0"), SERVER);
            Answer anonymous = Http.get(agent.jolokiaUrl() + "read/" + probe + "/Requester");
            assertTrue(String.valueOf(anonymous.value()).matches("jolokia anonymous from 127\\.0\\.0\\.1:\\d+"), anonymous.body());
            assertEquals("jmx-local in-process caller", SERVER.getAttribute(probe, "Requester"), "outside a request: nobody's");
        } finally {
            SERVER.unregisterMBean(probe);
        }
    }

    @Test
    void bulkDropsSpareBothEndsOfTheConnectionsToTheAgentsOwnPort() {
        agent = RunningAgent.start(AgentOptions.parse("port=0"), SERVER);
        String url = agent.jolokiaUrl();
        int port = java.net.URI.create(url).getPort();
        // Both ends of every connection to the agent's listener (127.0.0.1:port), and nothing else.
        String ours = "(sport = :" + port + " and src 127.0.0.1) or (dport = :" + port + " and dst 127.0.0.1)";
        Answer drop = Http.post(url, Http.exec("org.tcpjmx:type=Drop", "dropMatching", ours, false));
        assertEquals(200, drop.jolokiaStatus(), drop.body());
        Map<?, ?> report = (Map<?, ?>) drop.value();
        assertEquals(0L, ((Number) report.get("dropped")).longValue(), drop.body());
        assertEquals(0L, ((Number) report.get("failed")).longValue(), "spared is no failure: " + drop.body());
        List<?> outcomes = (List<?>) report.get("outcomes");
        boolean serverEnd = false;
        boolean clientEnd = false;
        for (Object o : outcomes) {
            Map<?, ?> outcome = (Map<?, ?>) o;
            assertEquals("REFUSED", outcome.get("status"), drop.body());
            // "LADDR LPORT FADDR FPORT", as tcpdrop takes it.
            String[] tuple = String.valueOf(outcome.get("connection")).split(" ");
            assertEquals(4, tuple.length, drop.body());
            serverEnd |= tuple[1].equals(Integer.toString(port));
            clientEnd |= tuple[3].equals(Integer.toString(port));
        }
        assertTrue(serverEnd && clientEnd, "both ends of the connection carrying the request are selected, and spared: " + drop.body());
        Answer list = Http.post(url, Http.exec("org.tcpjmx:type=Drop", "dropMatching", ours, true));
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
