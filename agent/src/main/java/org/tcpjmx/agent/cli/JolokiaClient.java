package org.tcpjmx.agent.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jolokia.json.JSONObject;
import org.jolokia.json.parser.JSONParser;
import org.jolokia.json.parser.ParseException;

/**
 * A remote agent's MBeans over Jolokia's HTTP protocol: every request is a POST of one JSON
 * request object (the agent accepts exec only by POST), answered with {@code {"value":...,"status":200}}
 * or {@code {"error_type":...,"error":...,"status":N}}.
 */
final class JolokiaClient implements MBeanAccess {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A dump of a very large table can take a while; a hung agent must not hang the command forever. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final URI url;
    private final String authorization;
    private final HttpClient http;

    JolokiaClient(URI url, String user, String password) {
        this.url = url;
        this.authorization = user.isEmpty() ? ""
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Object exec(String mbean, String operation, Object... arguments) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("type", "exec");
        request.put("mbean", mbean);
        request.put("operation", operation);
        request.put("arguments", Arrays.asList(arguments));
        return send(request, mbean + " " + operation);
    }

    @Override
    public Object read(String mbean, String attribute) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("type", "read");
        request.put("mbean", mbean);
        request.put("attribute", attribute);
        return send(request, mbean + " " + attribute);
    }

    private Object send(Map<String, Object> request, String what) {
        JSONObject body = new JSONObject();
        body.putAll(request);
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toJSONString(), StandardCharsets.UTF_8));
        if (!authorization.isEmpty()) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommandFailure("cannot reach the agent at " + url + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted while waiting for " + url, e);
        }
        if (response.statusCode() == 401) {
            throw new CommandFailure(url + " requires authentication" + (authorization.isEmpty()
                    ? ": give --user (password in " + RemoteOptions.PASSWORD_ENV + ")" : ": user or password wrong"));
        }
        Object parsed = parse(response.body());
        if (!(parsed instanceof Map)) {
            throw new CommandFailure(url + " answered HTTP " + response.statusCode() + " with no Jolokia response: " + abbreviate(response.body()));
        }
        Map<?, ?> answer = (Map<?, ?>) parsed;
        Object status = answer.get("status");
        if (status instanceof Number && ((Number) status).intValue() == 200) {
            return answer.get("value");
        }
        String type = String.valueOf(answer.get("error_type"));
        String error = cleanError(String.valueOf(answer.get("error")), type);
        if (type.endsWith("IllegalArgumentException")) {
            throw new UsageException(error);
        }
        throw new CommandFailure(what + " refused by " + url + " (status " + status + "): " + error);
    }

    private Object parse(String text) {
        try {
            return new JSONParser().parse(text);
        } catch (ParseException | IOException | RuntimeException e) {
            return null;
        }
    }

    /** Jolokia prefixes messages with the exception class ("java.lang.X : message"). */
    static String cleanError(String error, String type) {
        String prefix = type + " : ";
        return error.startsWith(prefix) ? error.substring(prefix.length()) : error;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    @Override
    public void close() {
        // HttpClient has no close before JDK 21; its threads are daemons.
    }
}
