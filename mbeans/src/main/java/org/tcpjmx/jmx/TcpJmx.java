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
 *
 * <p>{@link #register(MBeanServer, MBeanServer, TcpJmxOptions)} puts {@code type=Drop} in an MBeanServer
 * of its own: the agent keeps it out of the platform MBeanServer, which every JMX bridge of the JVM
 * (JConsole, another Jolokia, a JMX remote port) reaches.
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
        private final List<Registered> done;
        private final StateWatcher watcher;
        private boolean closed;

        private Registration(List<Registered> done, StateWatcher watcher) {
            this.done = List.copyOf(done);
            this.watcher = watcher;
        }

        /** The names registered, in registration order. */
        public List<ObjectName> names() {
            List<ObjectName> names = new ArrayList<>();
            for (Registered r : done) {
                names.add(r.name());
            }
            return Collections.unmodifiableList(names);
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
            for (Registered r : done) {
                ObjectName n = r.name();
                try {
                    r.server().unregisterMBean(n);
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
        return register(server, server, options);
    }

    /**
     * Registers the MBeans, {@code org.tcpjmx:type=Drop} in {@code dropServer} and the others in
     * {@code server} (the same server for both is {@link #register(MBeanServer, TcpJmxOptions)}).
     *
     * @throws IllegalStateException when one of the names is already registered in its server, naming it
     * @throws IllegalArgumentException when an argument is null
     */
    public static Registration register(MBeanServer server, MBeanServer dropServer, TcpJmxOptions options) {
        if (server == null || dropServer == null || options == null) {
            throw new IllegalArgumentException("register needs an MBeanServer, one for the Drop MBean (the same one will do)"
                    + " and TcpJmxOptions (TcpJmxOptions.defaults())");
        }
        for (ObjectName n : List.of(CONNECTIONS, STATES, DROP, STATISTICS, SETTINGS)) {
            if ((n.equals(DROP) ? dropServer : server).isRegistered(n)) {
                throw alreadyRegistered(n);
            }
        }
        StatesBean states = new StatesBean(STATES, options.platform(), options.answerBudget(), options.origins());
        StateWatcher watcher = states.watcher();
        List<Registered> beans = List.of(
                new Registered(server, CONNECTIONS, new ConnectionsBean(options.platform(), watcher, options.answerBudget(), options.origins())),
                new Registered(server, STATES, states),
                new Registered(dropServer, DROP, new DropBean(options)),
                new Registered(server, STATISTICS, new StatisticsBean(options.platform())),
                new Registered(server, SETTINGS, new SettingsBean(options.platform())));
        List<Registered> done = new ArrayList<>();
        try {
            for (Registered b : beans) {
                b.server().registerMBean(b.bean(), b.name());
                done.add(b);
            }
        } catch (JMException | RuntimeException e) {
            new Registration(done, watcher).close();
            if (e instanceof javax.management.InstanceAlreadyExistsException) {
                throw alreadyRegistered(beans.get(done.size()).name());
            }
            throw new IllegalStateException("registering the tcpjmx MBeans failed at "
                    + beans.get(done.size()).name() + ": " + e, e);
        }
        LOG.info("registered {} MBeans; table backend: {}", DOMAIN, options.platform().backendDetail());
        return new Registration(done, watcher);
    }

    private record Registered(MBeanServer server, ObjectName name, DynamicMBean bean) {
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
