package org.tcpjmx.agent.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tcpjmx.testing.PortGuard;
import org.tcpjmx.agent.testing.Http;

/**
 * examples/prometheus/tcpjmx.yaml, proven with the real jmx_exporter javaagent (from Maven Central)
 * loaded beside tcpjmx's agent in the demo server's JVM: its {@code /metrics} over HTTP carries the
 * documented series with the demo's real counts.
 */
class PrometheusExporterIT {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");
    private static final Set<String> STATES = Set.of("closed", "listen", "syn_sent", "syn_rcvd", "established", "close_wait",
            "fin_wait_1", "fin_wait_2", "closing", "last_ack", "time_wait");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theExporterTurnsTheMBeansIntoLabelledSeries() throws Exception {
        Path exporter = Paths.get(System.getProperty("tcpjmx.it.jmx.exporter.jar", ""));
        assertTrue(Files.isRegularFile(exporter), "jmx_exporter javaagent missing (" + exporter + "): run through mvn verify");
        Path config = RecipeDemo.examples().resolve("prometheus/tcpjmx.yaml");
        int metricsPort = freePort();
        // The echo port is counted per local port whatever the address: no other socket of the host may get it.
        try (PortGuard echo = new PortGuard();
             RecipeDemo demo = RecipeDemo.start(List.of("-javaagent:" + exporter + "=127.0.0.1:" + metricsPort + ":" + config),
                "--port", Integer.toString(echo.port()), "--clients", "1", "--idle", "1", "--leak-close-wait", "2")) {
            // The demo accepts its leaked connections on a thread of its own: until then they are not yet its sockets.
            Map<String, Double> m = scrape("http://127.0.0.1:" + metricsPort + "/metrics");
            for (int i = 0; i < 20 && !Double.valueOf(2.0).equals(m.get("tcpjmx_jvm_connections{state=\"close_wait\"}")); i++) {
                Thread.sleep(250);
                m = scrape("http://127.0.0.1:" + metricsPort + "/metrics");
            }

            // Per listening port: the demo's echo port has its listener and the server ends of one chatty and one idle client.
            assertEquals(1.0, m.get("tcpjmx_connections{local_port=\"" + demo.echoPort + "\",state=\"listen\"}"), m.toString());
            assertEquals(2.0, m.get("tcpjmx_connections{local_port=\"" + demo.echoPort + "\",state=\"established\"}"));
            assertEquals(2.0, m.get("tcpjmx_connections{local_port=\"" + demo.leakPort + "\",state=\"close_wait\"}"));
            assertEquals(0.0, m.get("tcpjmx_connections{local_port=\"" + demo.leakPort + "\",state=\"time_wait\"}"));
            assertTrue(m.get("tcpjmx_connections{local_port=\"" + metricsPort + "\",state=\"established\"}") >= 1.0,
                    "the scrape itself, on the exporter's port");

            // Host-wide per state, every state, lower case; and this JVM's own sockets.
            Set<String> hostStates = new TreeSet<>();
            for (String state : STATES) {
                Double v = m.get("tcpjmx_connections{state=\"" + state + "\"}");
                assertTrue(v != null && v >= 0, state + " in " + m.keySet());
                hostStates.add(state);
            }
            assertEquals(STATES, hostStates);
            assertTrue(m.get("tcpjmx_connections{state=\"close_wait\"}") >= 2.0);
            assertEquals(2.0, m.get("tcpjmx_jvm_connections{state=\"close_wait\"}"), "the demo's leak is its own");
            assertTrue(m.get("tcpjmx_jvm_connections{state=\"listen\"}") >= 4.0, "echo, leaky, Jolokia and exporter listeners");

            // Kernel counters and gauges, and the numeric tunables.
            assertTrue(m.get("tcpjmx_netstat_Tcp_ActiveOpens_total") > 0, "a counter, with _total");
            assertTrue(m.get("tcpjmx_netstat_Tcp_CurrEstab") > 0, "a gauge");
            assertTrue(m.containsKey("tcpjmx_netstat_TcpExt_ListenOverflows_total"));
            assertTrue(m.get("tcpjmx_setting_KeepIdle") > 0);

            // The kernel's counters, read without a walk.
            assertTrue(m.get("tcpjmx_sockets") >= 4.0, "at least the demo's listeners: " + m.get("tcpjmx_sockets"));
            assertTrue(m.get("tcpjmx_timewait_entries") >= 0.0 && m.get("tcpjmx_orphans") >= 0.0);
            assertTrue(m.get("tcpjmx_memory_pages") >= 0.0);

            // What a scrape costs: with sharing off (every read walks), exactly one walk of the table.
            // The row table is never read, and Count and TimeWait are counters.
            assertEquals(200, Http.post(demo.url, Map.of("type", "write", "mbean", "org.tcpjmx:type=States",
                    "attribute", "SnapshotMaxAgeMillis", "value", 0)).jolokiaStatus());
            long before = tableWalks(demo);
            scrape("http://127.0.0.1:" + metricsPort + "/metrics");
            assertEquals(1, tableWalks(demo) - before, "one scrape, one walk of the socket table");

            // Only the configured attributes become tcpjmx series: no table rows, no watcher settings.
            for (String name : m.keySet()) {
                if (name.startsWith("tcpjmx_")) {
                    assertTrue(name.matches("tcpjmx_(connections|jvm_connections|sockets|timewait_entries|orphans|memory_pages"
                            + "|netstat_Tcp(Ext)?_\\w+|setting_\\w+)(\\{.*\\})?"), name);
                }
                assertTrue(!name.startsWith("org_tcpjmx"), "unmapped attribute leaked through: " + name);
            }
        }
    }

    private static long tableWalks(RecipeDemo demo) {
        Http.Answer a = Http.get(demo.url + "read/org.tcpjmx:type=States/TableWalks");
        assertEquals(200, a.jolokiaStatus(), a.body());
        return ((Number) a.value()).longValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The text exposition format's samples, keyed by name and labels as printed. */
    private static Map<String, Double> scrape(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : r.body().lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            assertTrue(s.matches(), "not a sample line: " + line);
            samples.put(s.group(1) + (s.group(2) == null ? "" : s.group(2)), Double.parseDouble(s.group(3)));
        }
        assertTrue(r.body().contains("# TYPE tcpjmx_connections gauge"), "typed as a gauge");
        return samples;
    }
}
