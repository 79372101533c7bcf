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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jolokia.json.JSONArray;
import org.jolokia.json.JSONObject;
import org.jolokia.json.parser.JSONParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.ExternalTools;

/**
 * examples/prometheus/tcpjmx-alerts.yml with the real Prometheus (Debian's {@code prometheus}
 * package, which .ci/run installs): its own {@code promtool test rules} pass, and a Prometheus that
 * scrapes two demo JVMs through jmx_exporter sees the CLOSE_WAIT leak alert fire for the JVM that
 * leaks, and only for it.
 *
 * <p>Prometheus evaluates the rules as they are shipped, with one change: their durations (range
 * windows and {@code for:}) are read in seconds instead of minutes, so that the 15-minute leak window
 * passes in 15 seconds with a scrape every second. The expressions are the file's own.
 */
class PrometheusAlertsIT {
    private static final String SKIPPED = "the Prometheus alert tests are skipped (Debian: apt-get install prometheus; .ci/run does)";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theShippedRulesPassTheirOwnPromtoolTests() {
        Path promtool = ExternalTools.require("promtool", SKIPPED);
        Path dir = RecipeDemo.examples().resolve("prometheus");
        AgentCli.Result r = AgentCli.exec(List.of(promtool.toString(), "test", "rules",
                dir.resolve("tcpjmx-alerts.test.yml").toString()), Map.of());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("SUCCESS"), r.out() + r.err());
    }

    @Test
    void aRealPrometheusSeesTheLeakAlertFireForTheLeakingJvmOnly(@TempDir Path work) throws Exception {
        Path prometheus = ExternalTools.require("prometheus", SKIPPED);
        Path exporter = Paths.get(System.getProperty("tcpjmx.it.jmx.exporter.jar", ""));
        assertTrue(Files.isRegularFile(exporter), "jmx_exporter javaagent missing (" + exporter + "): run through mvn verify");
        Path exporterConfig = RecipeDemo.examples().resolve("prometheus/tcpjmx.yaml");
        int leakyMetrics = freePort();
        int healthyMetrics = freePort();
        try (RecipeDemo leaky = RecipeDemo.start(List.of("-javaagent:" + exporter + "=127.0.0.1:" + leakyMetrics + ":" + exporterConfig),
                "--port", "0", "--clients", "0", "--idle", "0", "--leak-close-wait", "1", "--leak-every", "1");
             RecipeDemo healthy = RecipeDemo.start(List.of("-javaagent:" + exporter + "=127.0.0.1:" + healthyMetrics + ":" + exporterConfig),
                "--port", "0", "--clients", "1", "--idle", "1")) {
            Files.writeString(work.resolve("alerts.yml"), inSeconds(Files.readString(
                    RecipeDemo.examples().resolve("prometheus/tcpjmx-alerts.yml"))));
            Files.writeString(work.resolve("prometheus.yml"), String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  evaluation_interval: 1s",
                    "rule_files: [alerts.yml]",
                    "scrape_configs:",
                    "  - job_name: tcpjmx",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + leakyMetrics + "', '127.0.0.1:" + healthyMetrics + "']",
                    ""));
            int webPort = freePort();
            Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + work.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + webPort)
                    .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:" + webPort + "/api/v1/";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                List<JSONObject> firing = List.of();
                while (firing.isEmpty() && System.nanoTime() < deadline && p.isAlive()) {
                    Thread.sleep(1000);
                    firing = firing(api, "TcpjmxCloseWaitLeak");
                }
                assertTrue(p.isAlive(), "prometheus exited: " + Files.readString(work.resolve("prometheus.log")));
                assertEquals(1, firing.size(), "one JVM leaks: " + firing + "\n" + get(api + "alerts"));
                JSONObject labels = (JSONObject) firing.get(0).get("labels");
                assertEquals("127.0.0.1:" + leakyMetrics, labels.get("instance"), firing.toString());
                assertEquals("close_wait", labels.get("state"));

                // Both JVMs were scraped all along: the healthy one has its series, with no leak.
                String healthySeries = get(api + "query?query=" + java.net.URLEncoder.encode(
                        "tcpjmx_jvm_connections{state=\"close_wait\",instance=\"127.0.0.1:" + healthyMetrics + "\"}", StandardCharsets.UTF_8));
                assertTrue(healthySeries.contains("\"value\":[") && healthySeries.contains("\"0\"]"), healthySeries);
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** The shipped rule file with its minute durations ({@code [15m]}, {@code for: 15m}) read as seconds. */
    static String inSeconds(String rules) {
        String scaled = rules.replaceAll("(\\[|for: )(\\d+)m\\b", "$1$2s");
        assertTrue(!scaled.equals(rules), "the rule file has no minute durations left to scale");
        return scaled;
    }

    /** The alerts of that name in state firing, from Prometheus' own API. */
    private static List<JSONObject> firing(String api, String name) throws Exception {
        List<JSONObject> out = new ArrayList<>();
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "alerts")).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return out; // not listening yet
        }
        if (r.statusCode() == 503) {
            return out; // listening, still starting (Prometheus answers 503 until its storage is ready)
        }
        assertEquals(200, r.statusCode(), r.body());
        String body = r.body();
        JSONObject answer = (JSONObject) new JSONParser().parse(body);
        JSONArray alerts = (JSONArray) ((JSONObject) answer.get("data")).get("alerts");
        for (Object a : alerts) {
            JSONObject alert = (JSONObject) a;
            JSONObject labels = (JSONObject) alert.get("labels");
            if (name.equals(labels.get("alertname")) && "firing".equals(alert.get("state"))) {
                out.add(alert);
            }
        }
        return out;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
