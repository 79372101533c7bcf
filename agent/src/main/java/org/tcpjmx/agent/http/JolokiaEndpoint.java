package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import org.jolokia.jvmagent.JolokiaServer;
import org.jolokia.jvmagent.JolokiaServerConfig;
import org.jolokia.server.core.config.SystemPropertyMode;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.tcpjmx.agent.AgentOptions;

/**
 * Jolokia's HTTP bridge, embedded: a {@link JolokiaServer} on an HTTP server the agent owns, so that
 * its threads are daemons created with the agent's class loader, its contexts carry the agent's
 * filters and authenticator, and detaching stops every one of its threads.
 */
public final class JolokiaEndpoint implements AutoCloseable {
    /** Path of the Jolokia context. */
    public static final String CONTEXT = "/jolokia";
    /** Enough for a few dashboards and the CLI at once; idle threads go away. */
    private static final int THREADS = 4;
    private static final int QUEUE = 256;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final AgentThreadFactory threads;
    private final JolokiaServer jolokia;
    private final String url;

    private JolokiaEndpoint(HttpServer server, ThreadPoolExecutor executor, AgentThreadFactory threads, JolokiaServer jolokia, String url) {
        this.server = server;
        this.executor = executor;
        this.threads = threads;
        this.jolokia = jolokia;
        this.url = url;
    }

    /**
     * Binds {@code host:port} and serves Jolokia there.
     *
     * @throws IllegalStateException when the port is taken or the address cannot be bound
     * @throws IllegalArgumentException when the access policy is invalid
     */
    public static JolokiaEndpoint start(AgentOptions options) {
        return start(options, List.of());
    }

    /**
     * As {@link #start(AgentOptions)}, serving {@code agentOnly} beside the platform MBeanServer:
     * MBeanServers no other JMX surface of the JVM reaches (see {@link AgentOnlyServerDetector}).
     */
    public static JolokiaEndpoint start(AgentOptions options, List<MBeanServer> agentOnly) {
        AccessRules rules = AccessRules.of(options.readOnly(), options.policy());
        AgentThreadFactory threads = new AgentThreadFactory();
        HttpServer raw;
        try {
            raw = HttpServer.create(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()), 16);
        } catch (BindException e) {
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + " (" + e.getMessage()
                    + "); give port= a free port, or port=0 to pick one", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        // Past 4 running and 256 queued requests the dispatcher serves the next one itself: it stops
        // accepting meanwhile (back-pressure) instead of dropping an exchange and leaking its socket.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), threads, new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        raw.setExecutor(executor);
        Optional<Authenticator> auth = options.authenticated()
                ? Optional.of(new BasicCredentials(options.user(), options.password()))
                : Optional.empty();
        HttpServer guarded = new GuardedHttpServer(raw, List.of(new RequestGuardFilter(rules.allowedOrigins()), new RequestScopeFilter(),
                new AnswerScopeFilter()), auth);
        JolokiaServer jolokia = null;
        try {
            TcpJmxRestrictor.handOver(rules);
            AgentOnlyServerDetector.handOver(agentOnly);
            // Jolokia looks for detectors through the context loader too: the platform loader's has
            // none, so only the agent's own jars (AgentOnlyServerDetector) count, never the application's.
            Thread current = Thread.currentThread();
            ClassLoader previousLoader = current.getContextClassLoader();
            current.setContextClassLoader(ClassLoader.getPlatformClassLoader());
            try {
                jolokia = new JolokiaServer(guarded, config(options, raw.getAddress()), new Slf4jLogHandler()) {
                    {
                        addService(new MBeanServerListenerCleanup());
                        addService(new StrictArgumentSerializer());
                        addService(new RefusedRequestTypes());
                        addService(new ReadScope());
                    }
                };
                jolokia.start(false);
            } finally {
                current.setContextClassLoader(previousLoader);
                AgentOnlyServerDetector.clearHandOver();
                TcpJmxRestrictor.clearHandOver();
            }
            // The dispatcher thread inherits daemon status and context loader from the thread starting it.
            Thread starter = threads.newThread(raw::start);
            starter.start();
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(jolokia, raw, executor);
            throw new IllegalStateException("interrupted while starting Jolokia", e);
        } catch (RuntimeException | LinkageError e) {
            abandon(jolokia, raw, executor);
            throw e;
        }
        String url = jolokia.getUrl();
        return new JolokiaEndpoint(raw, executor, threads, jolokia, url.endsWith("/") ? url : url + "/");
    }

    private static void abandon(JolokiaServer jolokia, HttpServer raw, ThreadPoolExecutor executor) {
        try {
            if (jolokia != null) {
                jolokia.stop();
            }
        } catch (RuntimeException e) {
            // Already failing; the start's exception is the one to report.
        } finally {
            raw.stop(0);
            executor.shutdownNow();
        }
    }

    private static JolokiaServerConfig config(AgentOptions options, InetSocketAddress bound) {
        Map<String, String> c = new HashMap<>();
        c.put("host", options.host());
        c.put("port", Integer.toString(bound.getPort()));
        c.put("agentContext", CONTEXT);
        c.put("agentId", agentId());
        c.put("restrictorClass", TcpJmxRestrictor.class.getName());
        // The one detector is the agent's own (AgentOnlyServerDetector, found in the agent's jars only).
        c.put("disableDetectors", "false");
        c.put("discoveryEnabled", "false");
        c.put("debug", "false");
        c.put("includeStackTrace", "false");
        c.put("serializeException", "false");
        c.put("allowDnsReverseLookup", "false");
        // Replaced by StrictArgumentSerializer: "yes" must not become listOnly=false.
        c.put("disabledServices", JolokiaSerializer.class.getName());
        // NEVER: the application's own jolokia.* system properties or JOLOKIA_* variables must not configure ours.
        return new JolokiaServerConfig(c, SystemPropertyMode.NEVER);
    }

    /** The Jolokia agent id of the agent in this JVM: its MBeans are named {@code jolokia:...,agent=ID}. */
    public static String agentId() {
        return "tcpjmx-" + ProcessHandle.current().pid();
    }

    /** The URL clients use, ending with '/'. */
    public String url() {
        return url;
    }

    /** The address the server is bound to (real port when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops Jolokia (unregistering its own MBeans), the HTTP server and every thread they used. */
    @Override
    public void close() {
        try {
            jolokia.stop();
        } finally {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
                threads.awaitEnd(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
