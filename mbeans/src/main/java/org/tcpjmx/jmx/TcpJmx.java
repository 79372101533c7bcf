package org.tcpjmx.jmx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.management.DynamicMBean;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.linux.ProcNetSnmpReader;
import org.tcpjmx.linux.TcpSysctlReader;

/**
 * Registers the tcpjmx MBeans in an MBean server, in one call, with or without the agent:
 *
 * <pre>{@code
 * TcpJmx.Registration r = TcpJmx.register(ManagementFactory.getPlatformMBeanServer(), TcpJmxOptions.defaults());
 * ...
 * r.close(); // unregisters them and stops the watcher thread
 * }</pre>
 *
 * <p>The names are the public contract: {@code org.tcpjmx:type=Connections}, {@code type=States},
 * {@code type=Drop}, {@code type=Statistics}, {@code type=Settings} ({@code type=Agent} belongs to
 * the agent).
 */
public final class TcpJmx {
    /** The JMX domain of every tcpjmx MBean. */
    public static final String DOMAIN = "org.tcpjmx";
    public static final ObjectName CONNECTIONS = name("Connections");
    public static final ObjectName STATES = name("States");
    public static final ObjectName DROP = name("Drop");
    public static final ObjectName STATISTICS = name("Statistics");
    public static final ObjectName SETTINGS = name("Settings");
    private static final Logger LOG = LoggerFactory.getLogger(TcpJmx.class);

    private TcpJmx() {
    }

    /** The MBeans of one {@link #register} call; closing unregisters them. */
    public static final class Registration implements AutoCloseable {
        private final MBeanServer server;
        private final List<ObjectName> names;
        private final StateWatcher watcher;
        private boolean closed;

        private Registration(MBeanServer server, List<ObjectName> names, StateWatcher watcher) {
            this.server = server;
            this.names = Collections.unmodifiableList(new ArrayList<>(names));
            this.watcher = watcher;
        }

        /** The names registered, in registration order. */
        public List<ObjectName> names() {
            return names;
        }

        /**
         * Unregisters every MBean this registration registered (those already gone are skipped) and
         * stops the watcher thread. Calling it again does nothing.
         */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            watcher.close();
            for (ObjectName n : names) {
                try {
                    server.unregisterMBean(n);
                } catch (InstanceNotFoundException e) {
                    LOG.debug("{} was already unregistered", n);
                } catch (JMException | RuntimeException e) {
                    LOG.warn("unregistering {} failed", n, e);
                }
            }
        }
    }

    /**
     * Registers the MBeans.
     *
     * @throws IllegalStateException when one of the names is already registered in this server
     *     (an earlier registration not closed, or the agent already running), naming it
     * @throws IllegalArgumentException when {@code server} or {@code options} is null
     */
    public static Registration register(MBeanServer server, TcpJmxOptions options) {
        if (server == null || options == null) {
            throw new IllegalArgumentException("register needs an MBeanServer and TcpJmxOptions (TcpJmxOptions.defaults())");
        }
        for (ObjectName n : List.of(CONNECTIONS, STATES, DROP, STATISTICS, SETTINGS)) {
            if (server.isRegistered(n)) {
                throw alreadyRegistered(n);
            }
        }
        StatesBean states = new StatesBean(STATES, options.platform(), options.answerBudget());
        StateWatcher watcher = states.watcher();
        List<Registered> beans = List.of(
                new Registered(CONNECTIONS, new ConnectionsBean(options.platform(), watcher, options.answerBudget())),
                new Registered(STATES, states),
                new Registered(DROP, new DropBean(options)),
                new Registered(STATISTICS, new StatisticsBean(new ProcNetSnmpReader())),
                new Registered(SETTINGS, new SettingsBean(new TcpSysctlReader())));
        List<ObjectName> done = new ArrayList<>();
        try {
            for (Registered b : beans) {
                server.registerMBean(b.bean(), b.name());
                done.add(b.name());
            }
        } catch (JMException | RuntimeException e) {
            new Registration(server, done, watcher).close();
            if (e instanceof javax.management.InstanceAlreadyExistsException) {
                throw alreadyRegistered(beans.get(done.size()).name());
            }
            throw new IllegalStateException("registering the tcpjmx MBeans failed at "
                    + beans.get(done.size()).name() + ": " + e, e);
        }
        LOG.info("registered {} MBeans; table backend: {}", DOMAIN, options.platform().backendDetail());
        return new Registration(server, done, watcher);
    }

    private record Registered(ObjectName name, DynamicMBean bean) {
    }

    private static IllegalStateException alreadyRegistered(ObjectName n) {
        return new IllegalStateException(n + " is already registered in this MBeanServer: tcpjmx is registered"
                + " already (the agent, or an earlier TcpJmx.register not closed); close that registration first");
    }

    private static ObjectName name(String type) {
        try {
            return new ObjectName(DOMAIN + ":type=" + type);
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
