package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Authenticator;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.MBeanServer;
import org.jolokia.jvmagent.JolokiaServer;
import org.jolokia.jvmagent.JolokiaServerConfig;
import org.jolokia.server.core.config.SystemPropertyMode;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.tcpjmx.agent.AgentOptions;
import org.tcpjmx.agent.HttpOptions;

/**
 * Jolokia's HTTP bridge, embedded: a {@link JolokiaServer} on the agent's own {@link BoundedHttpServer},
 * so that its threads are daemons created with the agent's class loader, slow and idle clients are
 * cut off after a bounded time, its contexts carry the agent's filters and authenticator, and
 * detaching stops every one of its threads. Jolokia is given the server ready-made and never
 * creates one of its own (its own would be the JDK's, with JVM-global settings).
 */
public final class JolokiaEndpoint implements AutoCloseable {
    /** Path of the Jolokia context. */
    public static final String CONTEXT = "/jolokia";

    private final BoundedHttpServer server;
    private final AgentThreadFactory threads;
    private final JolokiaServer jolokia;
    private final String url;

    private JolokiaEndpoint(BoundedHttpServer server, AgentThreadFactory threads, JolokiaServer jolokia, String url) {
        this.server = server;
        this.threads = threads;
        this.jolokia = jolokia;
        this.url = url;
    }

    /**
     * Binds {@code host:port} and serves Jolokia there.
     *
     * @throws IllegalStateException when the port is taken or the address cannot be bound
     * @throws IllegalArgumentException when the access policy or the keystore is invalid
     */
    public static JolokiaEndpoint start(AgentOptions options) {
        return start(options, List.of());
    }

    /**
     * As {@link #start(AgentOptions)}, serving {@code agentOnly} beside the platform MBeanServer:
     * MBeanServers no other JMX surface of the JVM reaches (see {@link AgentOnlyServerDetector}).
     */
    public static JolokiaEndpoint start(AgentOptions options, List<MBeanServer> agentOnly) {
        HttpOptions http = options.http();
        AccessRules rules = AccessRules.of(options.readOnly(), options.policy()).withOrigins(http.allowedOrigins());
        AgentThreadFactory threads = new AgentThreadFactory();
        Optional<Authenticator> auth = options.authenticated()
                ? Optional.of(new BasicCredentials(options.user(), options.password()))
                : Optional.empty();
        HttpLimits limits = new HttpLimits(http.maxConnections(), http.requestTimeoutSeconds() * 1000, http.idleTimeoutSeconds() * 1000,
                HttpLimits.MAX_REQUEST_BYTES);
        BoundedHttpServer raw;
        try {
            ServerSocket listener = http.tls().isPresent() ? TlsListener.open(http.tls().get()) : new ServerSocket();
            raw = new BoundedHttpServer(listener, new InetSocketAddress(InetAddress.getByName(options.host()), options.port()), limits,
                    threads, List.of(new RequestGuardFilter(rules.origins()), new RequestScopeFilter(),
                            new AnswerScopeFilter()), auth);
        } catch (BindException e) {
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + " (" + e.getMessage()
                    + "); give port= a free port, or port=0 to pick one", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
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
                jolokia = new JolokiaServer(raw, config(options, raw.getAddress()), new Slf4jLogHandler()) {
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
            raw.start();
        } catch (RuntimeException | LinkageError e) {
            abandon(jolokia, raw);
            throw e;
        }
        String url = jolokia.getUrl();
        return new JolokiaEndpoint(raw, threads, jolokia, url.endsWith("/") ? url : url + "/");
    }

    private static void abandon(JolokiaServer jolokia, BoundedHttpServer raw) {
        try {
            if (jolokia != null) {
                jolokia.stop();
            }
        } catch (RuntimeException e) {
            // Already failing; the start's exception is the one to report.
        } finally {
            raw.stop(0);
        }
    }

    private static JolokiaServerConfig config(AgentOptions options, InetSocketAddress bound) {
        Map<String, String> c = new HashMap<>();
        c.put("host", options.host());
        c.put("port", Integer.toString(bound.getPort()));
        c.put("agentContext", CONTEXT);
        // Only for the URL Jolokia reports: the agent's server does the TLS.
        c.put("protocol", options.http().tls().isPresent() ? "https" : "http");
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

    /** The server Jolokia was handed, for the tests that pin how Jolokia uses it. */
    BoundedHttpServer server() {
        return server;
    }

    /** Connections open now (for tests and the Agent MBean). */
    public int openConnections() {
        return server.openConnections();
    }

    /** Stops Jolokia (unregistering its own MBeans), the HTTP server and every thread they used. */
    @Override
    public void close() {
        try {
            jolokia.stop();
        } finally {
            server.stop(0);
            try {
                threads.awaitEnd(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
