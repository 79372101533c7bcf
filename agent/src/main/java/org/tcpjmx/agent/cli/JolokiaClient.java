package org.tcpjmx.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
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
import java.util.Optional;
import org.jolokia.json.JSONObject;
import org.jolokia.json.parser.JSONParser;
import org.jolokia.json.parser.ParseException;
import org.tcpjmx.platform.NetworkEntryException;
import org.tcpjmx.platform.ProcessPlaces;

/**
 * A remote agent's MBeans over Jolokia's HTTP protocol: every request is a POST of one JSON
 * request object (the agent accepts exec only by POST), answered with {@code {"value":...,"status":200}}
 * or {@code {"error_type":...,"error":...,"status":N}}.
 *
 * <p>For an agent in another network namespace ({@code --pid} of a JVM in a container) each request
 * runs on a thread that entered that namespace, through {@link HttpURLConnection}, which opens its
 * socket on the calling thread (the JDK's {@link HttpClient} opens them on threads of its own).
 */
final class JolokiaClient implements MBeanAccess {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A dump of a very large table can take a while; a hung agent must not hang the command forever. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final URI url;
    private final String authorization;
    private final Optional<Long> networkOf;
    private HttpClient http;

    JolokiaClient(URI url, String user, String password) {
        this(url, user, password, Optional.empty());
    }

    /** @param networkOf the pid whose network namespace to connect from, empty for ours */
    JolokiaClient(URI url, String user, String password, Optional<Long> networkOf) {
        this.url = url;
        this.authorization = user.isEmpty() ? ""
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.networkOf = networkOf;
    }

    /** An HTTP answer: status code and body. */
    private record Answer(int status, String body) {
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
        Answer response;
        try {
            response = networkOf.isPresent() ? postInNetworkOf(networkOf.get(), body.toJSONString()) : post(body.toJSONString());
        } catch (IOException e) {
            throw new CommandFailure("cannot reach the agent at " + url
                    + networkOf.map(pid -> " (from inside the network namespace of JVM " + pid + ")").orElse("") + ": " + reason(e), e);
        }
        if (response.status() == 401) {
            throw new CommandFailure(url + " requires authentication" + (authorization.isEmpty()
                    ? ": give --user (password in " + RemoteOptions.PASSWORD_ENV + ")" : ": user or password wrong"));
        }
        Object parsed = parse(response.body());
        if (!(parsed instanceof Map)) {
            throw new CommandFailure(url + " answered HTTP " + response.status() + " with no Jolokia response ("
                    + (response.body().isBlank() ? "an empty body" : "it began: " + abbreviate(response.body().strip()))
                    + "); is it the agent's URL? It ends in /jolokia/, as attach and status print it");
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

    private Answer post(String json) throws IOException {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (!authorization.isEmpty()) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted while waiting for " + url, e);
        }
    }

    private Answer postInNetworkOf(long pid, String json) throws IOException {
        try {
            return ProcessPlaces.open().inNetworkOf(pid, () -> {
                try {
                    return postHere(json);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (NetworkEntryException e) {
            throw new CommandFailure(UrlReach.cannotEnter(pid, url.toString(),
                    e.notPermitted() ? "this command may not enter it (" + e.getMessage() + ")" : "entering it failed (" + e.getMessage() + ")"), e);
        }
    }

    /** One POST whose socket is made on this thread, so in this thread's network namespace. */
    private Answer postHere(String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection(java.net.Proxy.NO_PROXY);
        try {
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setDoOutput(true);
            c.setRequestMethod("POST");
            c.setRequestProperty("Content-Type", "application/json");
            if (!authorization.isEmpty()) {
                c.setRequestProperty("Authorization", authorization);
            }
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            c.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = "";
            if (in != null) {
                try (in) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return new Answer(status, text);
        } finally {
            // No keep-alive: the socket belongs to that namespace and this command is done with it.
            c.disconnect();
        }
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

    /** Why a connection failed, in words: the JDK leaves the message of a refused connection empty. */
    static String reason(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused (nothing listens there: is the agent attached, and on that port? status PID prints its URL)";
        }
        if (e instanceof java.net.http.HttpTimeoutException || e instanceof java.net.SocketTimeoutException) {
            return "no answer in time (" + e.getMessage() + ")";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    @Override
    public void close() {
        // HttpClient has no close before JDK 21; its threads are daemons.
    }
}
