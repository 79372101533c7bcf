package org.tcpjmx.agent.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jolokia.json.parser.JSONParser;

/** HTTP requests with any method, body and headers, for answers the shared helper does not model (bulk arrays, preflights). */
final class RawHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RawHttp() {
    }

    /** Sends {@code method url} with {@code body} (empty: none) and header name/value pairs. */
    static HttpResponse<String> send(String method, String url, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The body parsed as JSON (a Map, a List, ...), or the text itself when it is no JSON. */
    static Object json(HttpResponse<String> r) {
        try {
            return new JSONParser().parse(r.body());
        } catch (Exception e) {
            return r.body();
        }
    }

    /** Jolokia's status of one answer object. */
    static int status(Object answer) {
        Object s = answer instanceof Map ? ((Map<?, ?>) answer).get("status") : null;
        return s instanceof Number ? ((Number) s).intValue() : -1;
    }
}
