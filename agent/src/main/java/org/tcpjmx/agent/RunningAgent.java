package org.tcpjmx.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.agent.http.JolokiaEndpoint;
import org.tcpjmx.agent.origins.OriginTracking;
import org.tcpjmx.jmx.AnswerBudget;
import org.tcpjmx.jmx.TcpJmx;
import org.tcpjmx.jmx.TcpJmxOptions;
import org.tcpjmx.model.Backend;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * The agent while it runs in a JVM: the tcpjmx MBeans, {@code org.tcpjmx:type=Agent} and the Jolokia
 * endpoint. Starting is all or nothing; closing undoes everything and leaves no thread behind.
 */
final class RunningAgent implements AutoCloseable, AgentBean.RunningState {
    private static final Logger LOG = LoggerFactory.getLogger(RunningAgent.class);
    /** JNA's system property for the platform's library directories. */
    private static final String JNA_SEARCH_PATH = "jna.platform.library.path";

    private final MBeanServer server;
    private final AgentOptions options;
    private final TcpPlatform platform;
    private final String backendDetail;
    private final TcpJmx.Registration registration;
    private final Optional<JolokiaEndpoint> endpoint;
    private final JmxBridgeDetector bridges;
    private final OriginTracking origins;

    private RunningAgent(MBeanServer server, AgentOptions options, TcpPlatform platform, String backendDetail,
            TcpJmx.Registration registration, Optional<JolokiaEndpoint> endpoint, OriginTracking origins) {
        this.server = server;
        this.origins = origins;
        this.bridges = new JmxBridgeDetector(server, JolokiaEndpoint.agentId());
        this.options = options;
        this.platform = platform;
        this.backendDetail = backendDetail;
        this.registration = registration;
        this.endpoint = endpoint;
    }

    static RunningAgent start(AgentOptions options, MBeanServer server) {
        return start(options, server, Optional.empty());
    }

    /** Starts the agent; {@code inst}, when given, lets it track origins ({@link OriginTracking}). */
    static RunningAgent start(AgentOptions options, MBeanServer server, Optional<Instrumentation> inst) {
        if (options.jolokia()) {
            requireHttpServerModule(); // before anything is registered, and before Jolokia's classes load
        }
        // auto: netlink, falling back to /proc when netlink (or JNA) is unavailable; or tcpjmx.backend as set.
        TcpPlatform platform = openWithoutLdconfig();
        String backendDetail = platform.backendDetail();
        if (platform.backend() == Backend.PROCFS && System.getProperty(TcpPlatforms.BACKEND_PROPERTY) == null && NativeAccess.refused()) {
            backendDetail = "procfs (/proc/net/tcp*) because this JVM refuses native access (--illegal-native-access=deny),"
                    + " so JNA cannot reach netlink; start it with --enable-native-access=ALL-UNNAMED for netlink";
        }
        ManagementConnections management = new ManagementConnections();
        // dropAccess=agent: the Drop MBean in a server of the agent's own, never registered with
        // MBeanServerFactory (createMBeanServer would be, and other Jolokias serve what it lists).
        MBeanServer dropServer = options.dropAccess() == DropAccess.AGENT ? MBeanServerFactory.newMBeanServer() : server;
        OriginTracking origins = new OriginTracking(inst);
        TcpJmx.Registration registration = TcpJmx.register(server, dropServer, jmxOptions(platform, options.readOnly(), management)
                .withAnswerBudget(options.answerBudget() > 0 ? AnswerBudget.of(options.answerBudget()) : AnswerBudget.defaults())
                .withOrigins(origins));
        Optional<JolokiaEndpoint> endpoint = Optional.empty();
        try {
            snapshotOptions(server, options);
            if (options.jolokia()) {
                JolokiaEndpoint e = JolokiaEndpoint.start(options, dropServer == server ? List.of() : List.of(dropServer));
                endpoint = Optional.of(e);
                management.addListener(e.address());
            }
            RunningAgent agent = new RunningAgent(server, options, platform, backendDetail, registration, endpoint, origins);
            if (options.trackOrigins()) {
                agent.trackOriginsAtStart();
            }
            HostCapabilities caps = HostCapabilities.probe(platform);
            server.registerMBean(new AgentBean(version(), agent, caps, management), AgentBean.NAME);
            agent.publish(caps);
            return agent;
        } catch (JMException e) {
            origins.close();
            undo(endpoint, registration);
            throw new IllegalStateException("cannot register " + AgentBean.NAME + ": " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            origins.close();
            undo(endpoint, registration);
            throw e;
        }
    }

    /**
     * Opens the backend without JNA running {@code /sbin/ldconfig -p} inside the host JVM: its
     * NativeLibrary class does so on Linux when first initialised, to learn library directories,
     * unless {@value #JNA_SEARCH_PATH} is set. The agent loads only libc, by its full soname, which
     * needs no search path; so the property is set, empty, while the backend opens (which is when
     * the agent's JNA initialises), and removed afterwards. Without it, every attach started a
     * process from the application's JVM and left the JDK's "process reaper" thread behind.
     */
    private static TcpPlatform openWithoutLdconfig() {
        if (System.getProperty(JNA_SEARCH_PATH) != null) {
            return TcpPlatforms.open();
        }
        System.setProperty(JNA_SEARCH_PATH, "");
        try {
            return TcpPlatforms.open();
        } finally {
            System.clearProperty(JNA_SEARCH_PATH);
        }
    }

    /** snapshotMaxAge= and walkBudget=: set as an operator would set the States attributes, before anyone reads them. */
    private static void snapshotOptions(MBeanServer server, AgentOptions options) throws JMException {
        if (options.snapshotMaxAgeMillis() >= 0) {
            server.setAttribute(TcpJmx.STATES, new javax.management.Attribute("SnapshotMaxAgeMillis", options.snapshotMaxAgeMillis()));
        }
        if (options.walkBudgetPercent() >= 0) {
            server.setAttribute(TcpJmx.STATES, new javax.management.Attribute("WalkBudgetPercent", (long) options.walkBudgetPercent()));
        }
    }

    /** trackOrigins=true: refused retransformation is said and the agent runs on without origins. */
    private void trackOriginsAtStart() {
        try {
            origins.track(true);
        } catch (IllegalStateException e) {
            System.err.println("tcpjmx-agent: trackOrigins=true: " + e.getMessage());
            LOG.warn("trackOrigins=true: {}", e.getMessage());
        }
    }

    @Override
    public boolean trackOrigins() {
        return origins.tracking();
    }

    @Override
    public void trackOrigins(boolean on) {
        origins.track(on);
    }

    @Override
    public long originRecords() {
        return origins.records();
    }

    @Override
    public long originsNotRecorded() {
        return origins.notRecorded();
    }

    private static void undo(Optional<JolokiaEndpoint> endpoint, TcpJmx.Registration registration) {
        try {
            endpoint.ifPresent(JolokiaEndpoint::close);
        } finally {
            registration.close();
        }
    }

    private static TcpJmxOptions jmxOptions(TcpPlatform platform, boolean readOnly, ManagementConnections management) {
        return new TcpJmxOptions(platform, readOnly, management);
    }

    private void publish(HostCapabilities caps) {
        String where = jolokiaUrl();
        if (where.isEmpty()) {
            System.clearProperty(AgentProperties.URL);
        } else {
            System.setProperty(AgentProperties.URL, where);
        }
        String served = where.isEmpty() ? "without Jolokia (jolokia=false): MBeans only" : "at " + where;
        System.setProperty(AgentProperties.STATUS, AgentProperties.RUNNING + ": " + served);
        String summary = "tcpjmx " + version() + " serving org.tcpjmx MBeans " + served + "; backend " + backend()
                + ", readOnly=" + options.readOnly() + (options.authenticated() ? ", basic auth" : "")
                + ", can drop other processes' sockets: " + caps.canDropOthers() + ", drops reachable " + dropsReachable();
        announce(summary + " (options " + options + ")");
        List<String> others = bridges.find();
        if (dropsOpenToBridges() && !others.isEmpty()) {
            LOG.warn("the tcpjmx drop operations (org.tcpjmx:type=Drop) are reachable through other JMX bridges of this JVM,"
                    + " which have none of the agent's defences (POST-only exec, origin checks, credentials): {}. Anyone who"
                    + " reaches them can cut this host's TCP connections. Start the agent with dropAccess=agent (the default)"
                    + " to keep the drops to its own Jolokia endpoint, or readOnly=true", String.join("; ", others));
        }
        if (!where.isEmpty()) {
            LOG.debug("backend detail: {}", backendDetail);
        }
    }

    private String dropsReachable() {
        if (options.dropAccess() == DropAccess.EVERYWHERE) {
            return "everywhere (dropAccess=everywhere: JConsole, VisualVM, any JMX bridge of this JVM)";
        }
        return options.jolokia() ? "only through " + jolokiaUrl() + " (dropAccess=agent)"
                : "nowhere (dropAccess=agent and jolokia=false; dropAccess=everywhere for JConsole)";
    }

    private boolean dropsOpenToBridges() {
        return options.dropAccess() == DropAccess.EVERYWHERE && !options.readOnly();
    }

    @Override
    public List<String> otherJmxBridges() {
        String reach = options.readOnly() ? ": drops refused there too (readOnly=true)"
                : dropsOpenToBridges() ? ": reaches the drop operations (dropAccess=everywhere)"
                : ": reads only; the Drop MBean is not in the platform MBeanServer (dropAccess=agent)";
        List<String> out = new ArrayList<>();
        for (String b : bridges.find()) {
            out.add(b + reach);
        }
        return out;
    }

    static String version() {
        String v = RunningAgent.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public String backend() {
        return platform.backend().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String backendDetail() {
        return backendDetail;
    }

    @Override
    public String jolokiaUrl() {
        return endpoint.map(JolokiaEndpoint::url).orElse("");
    }

    @Override
    public boolean readOnly() {
        return options.readOnly();
    }

    @Override
    public boolean authenticated() {
        return options.authenticated();
    }

    @Override
    public List<String> mbeans() {
        List<String> names = new ArrayList<>();
        for (ObjectName n : registration.names()) {
            names.add(n.getCanonicalName());
        }
        names.add(AgentBean.NAME.getCanonicalName());
        return names;
    }

    /** Stops Jolokia, unregisters every MBean, stops the watcher; publishes nothing afterwards. */
    @Override
    public void close() {
        System.clearProperty(AgentProperties.URL);
        try {
            // First: the JDK's socket classes go back as they were and the hook lets go of the agent.
            origins.close();
        } catch (RuntimeException e) {
            LOG.warn("origin tracking did not stop cleanly: {}", e.toString());
        }
        try {
            endpoint.ifPresent(JolokiaEndpoint::close);
        } finally {
            try {
                if (server.isRegistered(AgentBean.NAME)) {
                    server.unregisterMBean(AgentBean.NAME);
                }
            } catch (JMException e) {
                LOG.warn("cannot unregister {}: {}", AgentBean.NAME, e.getMessage());
            } finally {
                registration.close();
                AgentThreads.stopLeftovers();
            }
        }
        System.setProperty(AgentProperties.STATUS, AgentProperties.STOPPED + ": detached");
        announce("detached; MBeans unregistered" + (endpoint.isPresent() ? ", Jolokia stopped" : ""));
    }

    /**
     * A modular application (started with {@code -m}) resolves only the modules its graph needs, and
     * the agent cannot add one to a running JVM's boot layer: without {@code jdk.httpserver}, Jolokia's
     * server classes are missing and the agent would fail with a bare NoClassDefFoundError.
     */
    private static void requireHttpServerModule() {
        if (ModuleLayer.boot().findModule("jdk.httpserver").isEmpty()) {
            throw new IllegalStateException("this JVM's module graph has no jdk.httpserver, which the agent's Jolokia"
                    + " endpoint needs (a modular application started with -m resolves only what it requires): start it with"
                    + " --add-modules jdk.httpserver, or load the agent with jolokia=false (MBeans only, for JConsole and"
                    + " VisualVM)");
        }
    }

    /**
     * One line for the operator in the host's console and one record in its log, never the same
     * words twice: where the host's java.util.logging prints this logger's INFO records on the
     * console (its default set-up), the log record is the console line.
     */
    private static void announce(String what) {
        String line = "tcpjmx-agent: " + what;
        if (!ConsoleLogging.printsInfo(RunningAgent.class.getName())) {
            System.err.println(line);
        }
        LOG.info(line);
    }
}
