package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The agent's HTTP server handed to Jolokia: every context Jolokia creates on it gets the agent's
 * filters and authenticator, whatever paths Jolokia decides to serve. Jolokia's own server setup
 * cannot be told to add filters, and it creates its contexts itself.
 */
final class GuardedHttpServer extends HttpServer {
    private final HttpServer delegate;
    private final List<Filter> filters;
    private final Optional<Authenticator> authenticator;

    GuardedHttpServer(HttpServer delegate, List<Filter> filters, Optional<Authenticator> authenticator) {
        this.delegate = delegate;
        this.filters = List.copyOf(filters);
        this.authenticator = authenticator;
    }

    private HttpContext guard(HttpContext context) {
        context.getFilters().addAll(filters);
        authenticator.ifPresent(context::setAuthenticator);
        return context;
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        return guard(delegate.createContext(path, handler));
    }

    @Override
    public HttpContext createContext(String path) {
        return guard(delegate.createContext(path));
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) throws IOException {
        delegate.bind(addr, backlog);
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void setExecutor(Executor executor) {
        delegate.setExecutor(executor);
    }

    @Override
    public Executor getExecutor() {
        return delegate.getExecutor();
    }

    @Override
    public void stop(int delay) {
        delegate.stop(delay);
    }

    @Override
    public void removeContext(String path) {
        delegate.removeContext(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        delegate.removeContext(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        return delegate.getAddress();
    }
}
