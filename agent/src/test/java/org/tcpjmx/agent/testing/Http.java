package org.tcpjmx.agent.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jolokia.json.JSONObject;
import org.jolokia.json.parser.JSONParser;

/** Real HTTP to a Jolokia URL, for tests: status code plus the parsed JSON body. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** An answer: the HTTP status and the JSON body (a Map, or null when the body is no JSON object). */
    public record Answer(int status, Map<String, Object> json, String body, Map<String, List<String>> headers) {
        /** Jolokia's own status field, or -1. */
        public int jolokiaStatus() {
            Object s = json == null ? null : json.get("status");
            return s instanceof Number ? ((Number) s).intValue() : -1;
        }

        public Object value() {
            return json == null ? null : json.get("value");
        }

        public String error() {
            return json == null ? body : String.valueOf(json.get("error"));
        }
    }

    public static Answer get(String url, String... headerPairs) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headerPairs);
    }

    public static Answer post(String url, Map<String, Object> request, String... headerPairs) {
        JSONObject body = new JSONObject();
        body.putAll(request);
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body.toJSONString())), headerPairs);
    }

    public static Answer method(String url, String method, String... headerPairs) {
        return send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()), headerPairs);
    }

    /** A POST exec request body. */
    public static Map<String, Object> exec(String mbean, String operation, Object... args) {
        return Map.of("type", "exec", "mbean", mbean, "operation", operation, "arguments", List.of(args));
    }

    /** A POST read request body. */
    public static Map<String, Object> read(String mbean, String attribute) {
        return Map.of("type", "read", "mbean", mbean, "attribute", attribute);
    }

    /** The Authorization header pair for basic auth. */
    public static String[] basic(String user, String password) {
        return new String[] {"Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))};
    }

    @SuppressWarnings("unchecked")
    private static Answer send(HttpRequest.Builder b, String... headerPairs) {
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            b.header(headerPairs[i], headerPairs[i + 1]);
        }
        b.timeout(Duration.ofSeconds(60));
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, Object> json = null;
            try {
                Object parsed = new JSONParser().parse(r.body());
                if (parsed instanceof Map) {
                    json = (Map<String, Object>) parsed;
                }
            } catch (Exception notJson) {
                // The raw body is kept for the assertion message.
            }
            return new Answer(r.statusCode(), json, r.body(), r.headers().map());
        } catch (IOException e) {
            throw new AssertionError("HTTP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
