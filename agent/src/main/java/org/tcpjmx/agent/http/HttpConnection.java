package org.tcpjmx.agent.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * One client connection of {@link BoundedHttpServer}, on a thread of its own: requests one after the
 * other (keep-alive), each within the request timeout from its first byte, the next one within the
 * idle timeout; anything slower closes the connection.
 */
final class HttpConnection implements Runnable {
    /** Beyond a read's own timeout, before the acceptor's sweep closes the connection. */
    private static final int GRACE_MILLIS = 500;
    private final BoundedHttpServer server;
    private final Socket socket;

    HttpConnection(BoundedHttpServer server, Socket socket) {
        this.server = server;
        this.socket = socket;
    }

    @Override
    public void run() {
        HttpLimits limits = server.limits();
        BoundedHttpServer.Deadline deadline = server.deadlineOf(socket);
        try {
            deadline.in(limits.requestTimeoutMillis() + GRACE_MILLIS);
            TimedInput in = new TimedInput(socket, new BufferedInputStream(socket.getInputStream(), 8192));
            in.deadlineIn(limits.requestTimeoutMillis());
            if (socket instanceof SSLSocket) {
                socket.setSoTimeout(limits.requestTimeoutMillis());
                ((SSLSocket) socket).startHandshake();
            }
            // One buffer for the headers and a small body: they leave in one write (one segment).
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16384);
            boolean first = true;
            while (!server.stopped()) {
                if (!first) {
                    in.deadlineIn(limits.idleTimeoutMillis());
                    deadline.in(limits.idleTimeoutMillis() + GRACE_MILLIS);
                }
                int b = in.read();
                if (b < 0) {
                    return;
                }
                in.deadlineIn(limits.requestTimeoutMillis());
                deadline.in(limits.requestTimeoutMillis() + GRACE_MILLIS);
                if (!serve(b, in, out)) {
                    return;
                }
                first = false;
            }
        } catch (IOException | RuntimeException e) {
            // Slow, idle, gone or speaking no HTTP: the connection closes, nothing else is affected.
        } finally {
            server.forget(socket);
        }
    }

    /** Serves one request; false when the connection must close afterwards. */
    private boolean serve(int first, TimedInput in, OutputStream out) throws IOException {
        RequestHead head;
        RequestBody body;
        try {
            head = RequestHead.read(first, in);
            body = RequestBody.of(head, in, server.limits().maxRequestBytes());
        } catch (RequestHead.Malformed e) {
            answerAndClose(out, e.status, e.getMessage());
            return false;
        }
        String path = head.uri().getRawPath() == null ? "/" : head.uri().getRawPath();
        Optional<AgentHttpContext> context = server.contextFor(path);
        if (context.isEmpty()) {
            if (!body.drain()) {
                return false;
            }
            answerAndClose(out, 404, "nothing is served at this path; Jolokia is at " + JolokiaEndpoint.CONTEXT + "/");
            return false;
        }
        String expect = head.headers().getFirst("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue") && head.protocol().equals("HTTP/1.1")) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        ExchangeState state = new ExchangeState(head, context.get(), (InetSocketAddress) socket.getRemoteSocketAddress(),
                (InetSocketAddress) socket.getLocalSocketAddress(), body, out, Math.max(1, server.limits().idleTimeoutMillis() / 1000));
        HttpExchange exchange = socket instanceof SSLSocket ? new TlsExchange(state, ((SSLSocket) socket).getSession()) : new PlainExchange(state);
        BoundedHttpServer.Deadline deadline = server.deadlineOf(socket);
        // The handler's time is the agent's; a request body it reads is still bounded by TimedInput.
        deadline.none();
        try {
            server.dispatch(exchange, state);
        } catch (RequestBody.TooLarge e) {
            if (!state.headersSent()) {
                answerAndClose(out, 413, e.getMessage());
            }
            return false;
        } catch (IOException | RuntimeException e) {
            if (!state.headersSent()) {
                answerAndClose(out, 500, "the request failed: " + e.getClass().getSimpleName());
            }
            return false;
        }
        if (!state.headersSent()) {
            answerAndClose(out, 500, "the handler sent no answer");
            return false;
        }
        state.close();
        out.flush();
        body.reopenForDrain();
        return state.reusable() && body.drain();
    }

    /** A short JSON error, in Jolokia's shape, and the connection closes after it. */
    private static void answerAndClose(OutputStream out, int status, String message) throws IOException {
        byte[] b = ("{\"status\":" + status + ",\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + StatusText.of(status) + "\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
    }
}
