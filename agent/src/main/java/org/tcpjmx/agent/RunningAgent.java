package org.tcpjmx.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.agent.http.JolokiaEndpoint;
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
final class RunningAgent implements AutoCloseable, AgentMBean.RunningState {
    private static final Logger LOG = LoggerFactory.getLogger(RunningAgent.class);
    /** JNA's system property for the platform's library directories. */
    private static final String JNA_SEARCH_PATH = "jna.platform.library.path";

    private final MBeanServer server;
    private final AgentOptions options;
    private final TcpPlatform platform;
    private final String backendDetail;
    private final TcpJmx.Registration registration;
    private final Optional<JolokiaEndpoint> endpoint;

    private RunningAgent(MBeanServer server, AgentOptions options, TcpPlatform platform, String backendDetail,
            TcpJmx.Registration registration, Optional<JolokiaEndpoint> endpoint) {
        this.server = server;
        this.options = options;
        this.platform = platform;
        this.backendDetail = backendDetail;
        this.registration = registration;
        this.endpoint = endpoint;
    }

    static RunningAgent start(AgentOptions options, MBeanServer server) {
        // auto: netlink, falling back to /proc when netlink (or JNA) is unavailable; or tcpjmx.backend as set.
        TcpPlatform platform = openWithoutLdconfig();
        String backendDetail = platform.backendDetail();
        if (platform.backend() == Backend.PROCFS && System.getProperty(TcpPlatforms.BACKEND_PROPERTY) == null && NativeAccess.refused()) {
            backendDetail = "procfs (/proc/net/tcp*) because this JVM refuses native access (--illegal-native-access=deny),"
                    + " so JNA cannot reach netlink; start it with --enable-native-access=ALL-UNNAMED for netlink";
        }
        ManagementConnections management = new ManagementConnections();
        TcpJmx.Registration registration = TcpJmx.register(server, jmxOptions(platform, options.readOnly(), management)
                .withAnswerBudget(options.answerBudget() > 0 ? AnswerBudget.of(options.answerBudget()) : AnswerBudget.defaults()));
        Optional<JolokiaEndpoint> endpoint = Optional.empty();
        try {
            if (options.jolokia()) {
                JolokiaEndpoint e = JolokiaEndpoint.start(options);
                endpoint = Optional.of(e);
                management.addListener(e.address());
            }
            RunningAgent agent = new RunningAgent(server, options, platform, backendDetail, registration, endpoint);
            HostCapabilities caps = HostCapabilities.probe(platform.backend());
            server.registerMBean(new AgentMBean(version(), agent, caps, management), AgentMBean.NAME);
            agent.publish(caps);
            return agent;
        } catch (JMException e) {
            undo(endpoint, registration);
            throw new IllegalStateException("cannot register " + AgentMBean.NAME + ": " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
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
                + ", can drop other processes' sockets: " + caps.canDropOthers();
        System.err.println("tcpjmx-agent: " + summary);
        LOG.info("{} (options {})", summary, options);
        if (!where.isEmpty()) {
            LOG.debug("backend detail: {}", backendDetail);
        }
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
        names.add(AgentMBean.NAME.getCanonicalName());
        return names;
    }

    /** Stops Jolokia, unregisters every MBean, stops the watcher; publishes nothing afterwards. */
    @Override
    public void close() {
        System.clearProperty(AgentProperties.URL);
        try {
            endpoint.ifPresent(JolokiaEndpoint::close);
        } finally {
            try {
                if (server.isRegistered(AgentMBean.NAME)) {
                    server.unregisterMBean(AgentMBean.NAME);
                }
            } catch (JMException e) {
                LOG.warn("cannot unregister {}: {}", AgentMBean.NAME, e.getMessage());
            } finally {
                registration.close();
                AgentThreads.stopLeftovers();
            }
        }
        System.setProperty(AgentProperties.STATUS, AgentProperties.STOPPED + ": detached");
        System.err.println("tcpjmx-agent: detached; MBeans unregistered" + (endpoint.isPresent() ? ", Jolokia stopped" : ""));
        LOG.info("tcpjmx agent detached");
    }
}
