package org.tcpjmx.agent.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The response body asked for before the headers were sent (the JDK allows it): writes go to the
 * real body once {@code sendResponseHeaders} was called, and fail before.
 */
final class EarlyBody extends OutputStream {
    private final HttpExchange exchange;

    EarlyBody(HttpExchange exchange) {
        this.exchange = exchange;
    }

    private OutputStream real() throws IOException {
        OutputStream o = exchange.getResponseBody();
        if (o instanceof EarlyBody) {
            throw new IOException("sendResponseHeaders must be called before the response body is written");
        }
        return o;
    }

    @Override
    public void write(int b) throws IOException {
        real().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        real().write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        real().flush();
    }

    @Override
    public void close() throws IOException {
        if (!(exchange.getResponseBody() instanceof EarlyBody)) {
            exchange.getResponseBody().close();
        }
    }
}
