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
 * In front of Jolokia's handler, on every context:
 * <ul>
 *   <li>a GET can be fired by any web page (an image tag, a link), so only reads go by GET;
 *       {@code exec} and {@code write} must come by POST. Obvious GET attempts are refused here with
 *       405; the restrictor checks the method again per operation ({@link RequestMethod}), so a
 *       request shape this filter does not recognise is still refused;</li>
 *   <li>a request from a web page (an {@code Origin} or {@code Referer} header) is refused with 403
 *       unless its origin is listed exactly in the access policy: browsers send one on every
 *       cross-site POST, so no page can drive the agent; an {@code OPTIONS} request without an
 *       {@code Origin} is answered here, with no CORS header at all.</li>
 * </ul>
 */
final class RequestGuardFilter extends Filter {
    /** Request types that only read. */
    private static final Set<String> GET_TYPES = Set.of("", "read", "list", "search", "version");
    private static final Set<String> METHODS = Set.of("GET", "POST", "OPTIONS");

    private final WebOrigins origins;

    RequestGuardFilter(WebOrigins origins) {
        this.origins = origins;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            refuse(exchange, 405, 405, "GET, POST", "this HTTP method is not served; use GET to read and POST to exec or write");
            return;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (!originAllowed(origin, exchange.getRequestHeaders().getFirst("Referer"))) {
            // A preflight gets 403, which the browser reads as "no". Anything else gets Jolokia's own
            // answer to a refused request, HTTP 200 with status 403 inside: a web console (hawtio) takes
            // an HTTP 403 for bad credentials and asks for a password, hiding the real reason.
            refuse(exchange, method.equals("OPTIONS") ? 403 : 200, 403, "",
                    "requests from web pages are refused unless their origin (Origin, or the Referer's scheme://host:port) is"
                    + " listed: give the agent allowOrigin=" + shownOrigin(origin, exchange.getRequestHeaders().getFirst("Referer"))
                    + " or list it in the access policy's <cors><allow-origin>");
            return;
        }
        if (method.equals("OPTIONS") && origin == null) {
            // Not a browser's preflight (browsers send an Origin): Jolokia would answer it with
            // Access-Control-Allow-Origin: *, which this agent never sends.
            exchange.getResponseHeaders().set("Allow", "GET, POST, OPTIONS");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
        }
        if (method.equals("GET")) {
            String type = requestType(exchange);
            if (!GET_TYPES.contains(type)) {
                String shown = type.matches("[a-z0-9_-]{1,32}") ? "'" + type + "' requests are" : "this request is";
                refuse(exchange, 405, 405, "POST", shown + " accepted by POST only: a GET can be sent by any web page."
                        + " Send the JSON request as the body of a POST (jolokia.js: new Jolokia({url, method: \"post\"});"
                        + " curl: -X POST -d '{\"type\":\"" + (shown.startsWith("'") ? type : "exec") + "\",...}')");
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
        return "tcpjmx: exec and write by POST only, no web page origins";
    }

    /** No header: not a browser. Otherwise the Origin, or the Referer's origin, must be listed exactly. */
    boolean originAllowed(String origin, String referer) {
        return origin != null ? origins.allows(origin) : origins.allows(referer);
    }

    /** The origin to list, when it is one that can be shown safely in a message. */
    private static String shownOrigin(String origin, String referer) {
        String o = origin != null ? origin.trim() : referer == null ? "" : WebOrigins.originOf(referer.trim()).orElse("");
        return o.matches("https?://[A-Za-z0-9.\\[\\]:_-]{1,200}") ? o : "scheme://host:port";
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

    private static void refuse(HttpExchange exchange, int httpStatus, int status, String allow, String message) throws IOException {
        byte[] body = ("{\"status\":" + status + ",\"error_type\":\"java.lang.SecurityException\",\"error\":\""
                + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (!allow.isEmpty()) {
            exchange.getResponseHeaders().set("Allow", allow);
        }
        exchange.sendResponseHeaders(httpStatus, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
