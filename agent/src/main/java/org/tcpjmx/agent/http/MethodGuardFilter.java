package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * In front of Jolokia's handler: a GET can be fired by any web page (an image tag, a link), so only
 * reads go by GET; {@code exec} and {@code write} must come by POST. Obvious GET attempts are refused
 * here with 405; the restrictor checks the method again per operation ({@link RequestMethod}), so a
 * request shape this filter does not recognise is still refused.
 */
final class MethodGuardFilter extends Filter {
    /** Request types that only read. */
    private static final Set<String> GET_TYPES = Set.of("", "read", "list", "search", "version");
    private static final Set<String> METHODS = Set.of("GET", "POST", "OPTIONS");

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            refuse(exchange, "GET, POST", "this HTTP method is not served; use GET to read and POST to exec or write");
            return;
        }
        if (method.equals("GET")) {
            String type = requestType(exchange);
            if (!GET_TYPES.contains(type)) {
                String shown = type.matches("[a-z0-9_-]{1,32}") ? "'" + type + "' requests are" : "this request is";
                refuse(exchange, "POST", shown + " accepted by POST only: a GET can be sent by any web page");
                return;
            }
        }
        RequestMethod.set(method);
        try {
            chain.doFilter(exchange);
        } finally {
            RequestMethod.clear();
        }
    }

    @Override
    public String description() {
        return "tcpjmx: exec and write by POST only";
    }

    /** The Jolokia request type of a GET: the first path element after the context, or of the {@code p} parameter. */
    static String requestType(HttpExchange exchange) {
        URI uri = exchange.getRequestURI();
        String context = exchange.getHttpContext().getPath();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.startsWith(context)) {
            path = path.substring(context.length());
        }
        String type = firstElement(decode(path));
        if (type.isEmpty() && uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.startsWith("p=")) {
                    type = firstElement(decode(pair.substring(2)));
                }
            }
        }
        return type.toLowerCase(Locale.ROOT);
    }

    private static String firstElement(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        int slash = p.indexOf('/');
        return slash < 0 ? p : p.substring(0, slash);
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private static void refuse(HttpExchange exchange, String allow, String message) throws IOException {
        byte[] body = ("{\"status\":405,\"error_type\":\"java.lang.SecurityException\",\"error\":\""
                + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Allow", allow);
        exchange.sendResponseHeaders(405, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
