package org.tcpjmx.agent.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;

/**
 * Over real HTTP to the agent in a second JVM: a Jolokia read of a whole MBean, of several
 * attributes, of several MBeans in one bulk request, each costs one walk of the socket table (the
 * agent serves each request in one request scope), and Count and TimeWait cost none. Sharing
 * between requests is switched off first, so every request has to walk.
 */
class OneWalkPerRequestIT {
    private static final String STATES = "org.tcpjmx:type=States";

    @Test
    void eachJolokiaRequestWalksTheTableOnceWhateverItReads() throws Exception {
        try (RecipeDemo demo = RecipeDemo.start(List.of(), "--port", "0", "--clients", "1", "--idle", "1")) {
            String url = demo.url;
            assertEquals(200, Http.post(url, Map.of("type", "write", "mbean", STATES, "attribute", "SnapshotMaxAgeMillis",
                    "value", 0)).jolokiaStatus());

            long before = walks(url);
            Answer whole = Http.get(url + "read/" + STATES);
            assertEquals(200, whole.jolokiaStatus(), whole.body());
            assertEquals(1, walks(url) - before, "every attribute of States, read one by one by Jolokia: one walk");
            Map<?, ?> v = (Map<?, ?>) whole.value();
            assertTrue(v.containsKey("Histogram") && v.containsKey("ByListeningPort") && v.containsKey("SnapshotAgeMillis"), v.keySet().toString());

            before = walks(url);
            String bulk = "[{\"type\":\"read\",\"mbean\":\"" + STATES + "\",\"attribute\":[\"Histogram\",\"Total\"]},"
                    + "{\"type\":\"read\",\"mbean\":\"" + STATES + "\",\"attribute\":\"OwnHistogram\"},"
                    + "{\"type\":\"read\",\"mbean\":\"org.tcpjmx:type=Statistics\"},"
                    + "{\"type\":\"read\",\"mbean\":\"org.tcpjmx:type=Connections\",\"attribute\":\"Count\"},"
                    + "{\"type\":\"read\",\"mbean\":\"" + STATES + "\",\"attribute\":\"ByListeningPort\"}]";
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(bulk)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(5, r.body().split("\"status\":200", -1).length - 1, r.body());
            assertEquals(1, walks(url) - before, "five reads of three MBeans in one bulk request: one walk");

            before = walks(url);
            assertEquals(200, Http.get(url + "read/org.tcpjmx:type=Connections/Count").jolokiaStatus());
            assertEquals(200, Http.get(url + "read/" + STATES + "/TimeWait").jolokiaStatus());
            assertEquals(0, walks(url) - before, "Count and TimeWait are the kernel's counters");
        }
    }

    private static long walks(String url) {
        Answer a = Http.get(url + "read/" + STATES + "/TableWalks");
        assertEquals(200, a.jolokiaStatus(), a.body());
        return ((Number) a.value()).longValue();
    }
}
