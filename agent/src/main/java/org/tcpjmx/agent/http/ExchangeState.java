package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One request and its response on a connection of {@link BoundedHttpServer}: what
 * {@link PlainExchange} and {@link TlsExchange} (the {@code HttpExchange} handed to filters,
 * authenticator and Jolokia's handler) answer with.
 */
final class ExchangeState {
    final RequestHead head;
    final AgentHttpContext context;
    final InetSocketAddress remote;
    final InetSocketAddress local;
    final Headers responseHeaders = new Headers();
    final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final OutputStream out;
    private final boolean keepAliveAsked;
    private final int idleTimeoutSeconds;
    InputStream requestBody;
    OutputStream responseBody;
    private ResponseBody body;
    private int responseCode = -1;
    volatile HttpPrincipal principal;

    ExchangeState(RequestHead head, AgentHttpContext context, InetSocketAddress remote, InetSocketAddress local,
            RequestBody requestBody, OutputStream out, int idleTimeoutSeconds) {
        this.head = head;
        this.context = context;
        this.remote = remote;
        this.local = local;
        this.requestBody = requestBody;
        this.out = out;
        this.keepAliveAsked = head.keepAlive();
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    int responseCode() {
        return responseCode;
    }

    boolean headersSent() {
        return responseCode >= 0;
    }

    /** Whether the connection can carry another request after this one. */
    boolean reusable() {
        return keepAliveAsked && body != null && body.isClosed() && body.complete();
    }

    /** The JDK's contract: length 0 means chunked (any length), -1 means no body, &gt; 0 exactly that many bytes. */
    void sendResponseHeaders(int code, long length) throws IOException {
        if (headersSent()) {
            throw new IOException("the response headers were already sent");
        }
        if (code < 200 || code > 999) {
            throw new IllegalArgumentException("response code " + code + " is not a final status (200 to 999)");
        }
        responseCode = code;
        responseHeaders.remove("Content-Length");
        responseHeaders.remove("Transfer-Encoding");
        boolean noBody = length < 0 || code == 204 || code == 304;
        boolean http11 = head.protocol().equals("HTTP/1.1");
        boolean untilClose = false;
        if (head.method().equalsIgnoreCase("HEAD")) {
            if (length > 0) {
                responseHeaders.set("Content-Length", Long.toString(length));
            } else if (length < 0) {
                responseHeaders.set("Content-Length", "0");
            }
            body = ResponseBody.discarded(out);
        } else if (noBody) {
            if (code != 204 && code != 304) {
                responseHeaders.set("Content-Length", "0");
            }
            body = ResponseBody.fixed(out, 0);
        } else if (length > 0) {
            responseHeaders.set("Content-Length", Long.toString(length));
            body = ResponseBody.fixed(out, length);
        } else if (http11) {
            responseHeaders.set("Transfer-Encoding", "chunked");
            body = ResponseBody.chunked(out);
        } else {
            body = ResponseBody.untilClose(out);
            untilClose = true;
        }
        boolean staysOpen = keepAliveAsked && !untilClose;
        responseHeaders.set("Connection", staysOpen ? "keep-alive" : "close");
        if (staysOpen) {
            // RFC 9112 9.3 leaves it to clients; this tells those that read it when the agent closes an idle connection.
            responseHeaders.set("Keep-Alive", "timeout=" + idleTimeoutSeconds);
        }
        StringBuilder h = new StringBuilder(256).append("HTTP/1.1 ").append(code).append(' ').append(StatusText.of(code)).append("\r\n");
        for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
            for (String v : e.getValue()) {
                String value = v == null ? "" : v;
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || e.getKey().indexOf('\r') >= 0 || e.getKey().indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("response header " + e.getKey() + " holds a line break");
                }
                h.append(e.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        responseBody = body;
        if (noBody) {
            body.close();
        }
    }

    /** Ends the exchange: both streams closed; the response, if begun, is finished and sent. */
    void close() {
        try {
            requestBody.close();
        } catch (IOException e) {
            // Closing the request body never touches the socket.
        }
        if (body != null) {
            try {
                body.close();
            } catch (IOException e) {
                // The client went away; the connection loop notices on its next read.
            }
        }
    }

    /** Replaces the streams, as a filter may ({@code HttpExchange.setStreams}). */
    void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            requestBody = i;
        }
        if (o != null) {
            responseBody = o;
        }
    }
}
