package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLServerSocket;
import org.tcpjmx.jmx.CurrentRequester;
import org.tcpjmx.model.Requester;

/**
 * The agent's own small HTTP/1.1 server, handed to Jolokia in place of the JDK's
 * {@code com.sun.net.httpserver} one, whose limits cannot be set per server: its timeouts and
 * {@code TCP_NODELAY} are {@code sun.net.httpserver.*} system properties, global to the host JVM
 * and read once, and its few worker threads wait for a slow client's headers forever.
 *
 * <p>Here each connection has a thread of its own (a daemon, see {@link AgentThreadFactory}) that
 * reads its requests with a deadline and closes it when it is slow or idle too long; at most
 * {@link HttpLimits#maxConnections()} are open at once, one more is answered 503 and closed. Every
 * accepted socket has {@code TCP_NODELAY}, and an answer's headers and small body leave in one
 * write, so a kept-alive connection answers in milliseconds (Nagle and delayed ACK made it 40 ms).
 *
 * <p>Every context Jolokia creates gets the agent's filters and authenticator (Jolokia creates its
 * contexts itself and cannot be told to add filters): filters first, then the authenticator (the
 * JDK's order), then the handler, which runs as {@link CurrentRequester} "jolokia" with the user (or
 * "anonymous") and the client's address, so that audit lines name who asked.
 */
final class BoundedHttpServer extends HttpServer {
    private final ServerSocket listener;
    private final HttpLimits limits;
    private final AgentThreadFactory threads;
    private final List<Filter> filters;
    private final Optional<Authenticator> authenticator;
    private final List<AgentHttpContext> contexts = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** Each connection's deadline for what it is reading now; the acceptor closes those past it. */
    private final java.util.Map<Socket, Deadline> deadlines = new ConcurrentHashMap<>();
    /** How often the acceptor looks for connections past their deadline. */
    private static final int SWEEP_MILLIS = 500;
    private volatile boolean stopped;
    private volatile Thread acceptor;
    private Executor executor;

    /**
     * Binds {@code address}; {@code listener} is a plain or TLS server socket, not yet bound.
     *
     * @throws IOException when the address cannot be bound
     */
    BoundedHttpServer(ServerSocket listener, InetSocketAddress address, HttpLimits limits, AgentThreadFactory threads,
            List<Filter> filters, Optional<Authenticator> authenticator) throws IOException {
        this.listener = listener;
        this.limits = limits;
        this.threads = threads;
        this.filters = List.copyOf(filters);
        this.authenticator = authenticator;
        try {
            listener.setReuseAddress(true);
            listener.bind(address, 64);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
    }

    boolean tls() {
        return listener instanceof SSLServerSocket;
    }

    HttpLimits limits() {
        return limits;
    }

    boolean stopped() {
        return stopped;
    }

    /** How many connections are open now. */
    int openConnections() {
        return open.size();
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) throws IOException {
        throw new IOException("already bound to " + getAddress());
    }

    @Override
    public synchronized void start() {
        if (acceptor != null) {
            throw new IllegalStateException("already started");
        }
        acceptor = threads.newThread(this::acceptLoop);
        acceptor.start();
    }

    /**
     * A connection's deadline, in {@code System.nanoTime()} terms; {@link Long#MAX_VALUE} while its
     * request is being handled (Jolokia's own time is not the client's to waste).
     */
    static final class Deadline {
        private volatile long nanos = Long.MAX_VALUE;

        void in(long millis) {
            nanos = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
        }

        void none() {
            nanos = Long.MAX_VALUE;
        }

        boolean passed(long now) {
            long n = nanos;
            return n != Long.MAX_VALUE && now - n > 0;
        }
    }

    Deadline deadlineOf(Socket s) {
        return deadlines.computeIfAbsent(s, k -> new Deadline());
    }

    /**
     * Closes connections past their deadline. Reads time out by themselves; this bounds what a read
     * timeout cannot: a TLS handshake or record trickled byte by byte, each byte within the timeout.
     */
    private void sweep() {
        long now = System.nanoTime();
        for (java.util.Map.Entry<Socket, Deadline> e : deadlines.entrySet()) {
            if (e.getValue().passed(now)) {
                forget(e.getKey());
            }
        }
    }

    private void acceptLoop() {
        try {
            listener.setSoTimeout(SWEEP_MILLIS);
        } catch (IOException e) {
            // Without it, the sweep runs only between accepts; reads still time out by themselves.
        }
        long lastSweep = System.nanoTime();
        while (!stopped) {
            if (System.nanoTime() - lastSweep > java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS)) {
                sweep();
                lastSweep = System.nanoTime();
            }
            Socket s;
            try {
                s = listener.accept();
            } catch (java.net.SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (stopped || listener.isClosed()) {
                    return;
                }
                // EMFILE and the like: wait a little rather than spin.
                pause();
                continue;
            }
            admit(s);
        }
    }

    private void admit(Socket s) {
        try {
            s.setTcpNoDelay(true);
            if (open.size() >= limits.maxConnections()) {
                refuseBusy(s);
                return;
            }
            open.add(s);
            if (stopped) {
                // stop() may have closed the others already.
                forget(s);
                return;
            }
            threads.newThread(new HttpConnection(this, s)).start();
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // OutOfMemoryError: "unable to create native thread"; the host matters more than this client.
            forget(s);
        }
    }

    /** Over the limit: a plain client learns why; a small write to a new socket does not block. */
    private void refuseBusy(Socket s) {
        try (s) {
            if (!tls()) {
                byte[] body = ("{\"status\":503,\"error\":\"the tcpjmx agent serves at most " + limits.maxConnections()
                        + " connections at once; close idle ones or retry\"}").getBytes(StandardCharsets.UTF_8);
                OutputStream o = s.getOutputStream();
                o.write(("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                o.write(body);
                o.flush();
            }
        } catch (IOException e) {
            // The client is gone anyway.
        }
    }

    void forget(Socket s) {
        open.remove(s);
        deadlines.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // Closing is best effort.
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The paths of the contexts served, in creation order. */
    List<String> contextPaths() {
        List<String> out = new java.util.ArrayList<>();
        for (AgentHttpContext c : contexts) {
            out.add(c.getPath());
        }
        return out;
    }

    /** The context serving {@code path}: the longest matching prefix, as the JDK's server chooses. */
    Optional<AgentHttpContext> contextFor(String path) {
        AgentHttpContext best = null;
        for (AgentHttpContext c : contexts) {
            if (c.serves(path) && (best == null || c.getPath().length() > best.getPath().length())) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Runs one exchange through the context's filters, its authenticator and its handler. */
    void dispatch(HttpExchange exchange, ExchangeState state) throws IOException {
        AgentHttpContext context = state.context;
        HttpHandler afterFilters = e -> authenticateThenHandle(e, state);
        new Filter.Chain(context.getFilters(), afterFilters).doFilter(exchange);
    }

    private void authenticateThenHandle(HttpExchange exchange, ExchangeState state) throws IOException {
        Authenticator auth = state.context.getAuthenticator();
        if (auth != null) {
            Authenticator.Result r = auth.authenticate(exchange);
            if (r instanceof Authenticator.Success) {
                state.principal = ((Authenticator.Success) r).getPrincipal();
            } else {
                int code = r instanceof Authenticator.Retry ? ((Authenticator.Retry) r).getResponseCode()
                        : ((Authenticator.Failure) r).getResponseCode();
                exchange.sendResponseHeaders(code, -1);
                exchange.close();
                return;
            }
        }
        Requester requester = new Requester("jolokia", (state.principal == null ? "anonymous" : "user=" + state.principal.getUsername())
                + " from " + state.remote.getAddress().getHostAddress() + ":" + state.remote.getPort());
        try {
            CurrentRequester.callAs(requester, () -> {
                try {
                    state.context.getHandler().handle(exchange);
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public synchronized void setExecutor(Executor executor) {
        // Connections run on threads of their own; kept for getExecutor's contract only.
        this.executor = executor;
    }

    @Override
    public synchronized Executor getExecutor() {
        return executor;
    }

    /** Closes the listener and every open connection; their threads end at once. */
    @Override
    public void stop(int delay) {
        stopped = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing is best effort.
        }
        for (Socket s : List.copyOf(open)) {
            forget(s);
        }
        Thread a = acceptor;
        if (a != null) {
            try {
                a.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("context path '" + path + "' does not start with '/'");
        }
        for (AgentHttpContext c : contexts) {
            if (c.getPath().equals(path)) {
                throw new IllegalArgumentException("context " + path + " already exists");
            }
        }
        AgentHttpContext c = new AgentHttpContext(path, handler, this);
        c.getFilters().addAll(filters);
        authenticator.ifPresent(c::setAuthenticator);
        contexts.add(c);
        return c;
    }

    @Override
    public HttpContext createContext(String path) {
        return createContext(path, e -> {
            e.sendResponseHeaders(404, -1);
            e.close();
        });
    }

    @Override
    public void removeContext(String path) {
        if (!contexts.removeIf(c -> c.getPath().equals(path))) {
            throw new IllegalArgumentException("no context " + path);
        }
    }

    @Override
    public void removeContext(HttpContext context) {
        contexts.remove(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Only for logs: the server's kind and address. */
    @Override
    public String toString() {
        return "tcpjmx " + (tls() ? "https" : "http") + " server on " + getAddress();
    }
}
