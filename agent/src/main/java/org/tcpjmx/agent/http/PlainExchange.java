package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/** The {@code HttpExchange} of one request over plain TCP. */
final class PlainExchange extends HttpExchange {
    private final ExchangeState state;


    PlainExchange(ExchangeState state) {
        this.state = state;

    }

    ExchangeState state() {
        return state;
    }

    @Override
    public Headers getRequestHeaders() {
        return state.head.headers();
    }

    @Override
    public Headers getResponseHeaders() {
        return state.responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return state.head.uri();
    }

    @Override
    public String getRequestMethod() {
        return state.head.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return state.context;
    }

    @Override
    public void close() {
        state.close();
    }

    @Override
    public InputStream getRequestBody() {
        return state.requestBody;
    }

    @Override
    public OutputStream getResponseBody() {
        return state.responseBody == null ? new EarlyBody(this) : state.responseBody;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        state.sendResponseHeaders(rCode, responseLength);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return state.remote;
    }

    @Override
    public int getResponseCode() {
        return state.responseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return state.local;
    }

    @Override
    public String getProtocol() {
        return state.head.protocol();
    }

    @Override
    public Object getAttribute(String name) {
        return state.attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            state.attributes.remove(name);
        } else {
            state.attributes.put(name, value);
        }
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        state.setStreams(i, o);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return state.principal;
    }
}
