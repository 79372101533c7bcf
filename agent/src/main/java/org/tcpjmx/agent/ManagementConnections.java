package org.tcpjmx.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

/**
 * The connections that manage this JVM, both ends of each: connections to the agent's Jolokia port
 * and to the JVM's JMX remote ports (the RMI registry, {@code com.sun.management.jmxremote.port},
 * and the RMI server, {@code com.sun.management.jmxremote.rmi.port}). The server end is this JVM's
 * socket (local port a management port); the client end, in this JVM or any other process on the
 * host, has a management port as its remote port and one of this host's addresses (or the address
 * the listener is bound to) as its remote address. Bulk drops spare them, so that a {@code drop all}
 * sent through Jolokia cuts neither end of the very connection that carries it (tcpdrop(8) shows
 * {@code grep -vw 22} for the same reason).
 *
 * <p>Not covered: a JMX RMI server port the JVM picked itself (no {@code jmxremote.rmi.port} given)
 * and the local (attach) connector's port: the JDK publishes neither where an agent can read it.
 */
final class ManagementConnections implements Predicate<TcpConnection> {
    /** System properties of the JDK's JMX remote agent (jdk.management.agent). */
    static final List<String> JMX_PORT_PROPERTIES = List.of("com.sun.management.jmxremote.port", "com.sun.management.jmxremote.rmi.port");
    /** How long the host's own addresses are taken as known; interfaces come and go rarely. */
    private static final long ADDRESSES_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final List<InetSocketAddress> listeners = new CopyOnWriteArrayList<>();
    private volatile Set<InetAddress> hostAddresses = Set.of();
    private volatile long addressesRead = System.nanoTime() - 2 * ADDRESSES_TTL_NANOS;

    /** Adds a listener of this JVM whose connections are management connections. */
    void addListener(InetSocketAddress address) {
        listeners.add(address);
    }

    @Override
    public boolean test(TcpConnection c) {
        if (c.state() == TcpState.LISTEN) {
            return false;
        }
        InetAddress local = c.local().toInetAddress();
        InetAddress remote = c.remote().toInetAddress();
        for (InetSocketAddress l : listeners) {
            InetAddress bound = l.getAddress();
            if (c.local().port() == l.getPort() && (bound.isAnyLocalAddress() || bound.equals(local))) {
                return true;
            }
            if (c.remote().port() == l.getPort() && (bound.isAnyLocalAddress() ? isThisHost(remote) : bound.equals(remote))) {
                return true;
            }
        }
        // Read on every test: the JMX agent can be started later (jcmd ManagementAgent.start).
        List<Integer> jmx = jmxPorts();
        return jmx.contains(c.local().port()) || (jmx.contains(c.remote().port()) && isThisHost(remote));
    }

    /** Each protected endpoint, for the Agent MBean. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (InetSocketAddress l : listeners) {
            out.add(l.getAddress().getHostAddress() + ":" + l.getPort() + " (tcpjmx Jolokia)");
        }
        for (int p : jmxPorts()) {
            out.add("*:" + p + " (JMX remote)");
        }
        return out;
    }

    private boolean isThisHost(InetAddress a) {
        if (a == null) {
            return false;
        }
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        long now = System.nanoTime();
        if (now - addressesRead > ADDRESSES_TTL_NANOS) {
            hostAddresses = readHostAddresses();
            addressesRead = now;
        }
        return hostAddresses.contains(a);
    }

    private static Set<InetAddress> readHostAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(i.getInetAddresses())) {
                    out.add(withoutScope(a));
                }
            }
        } catch (SocketException | RuntimeException e) {
            // Without the list, only loopback counts as this host: fewer connections spared, none wrongly.
        }
        return Set.copyOf(out);
    }

    /** fe80::1%eth0 and fe80::1 (as the table shows it) are one address here. */
    private static InetAddress withoutScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            return a;
        }
    }

    private static List<Integer> jmxPorts() {
        List<Integer> ports = new ArrayList<>();
        for (String prop : JMX_PORT_PROPERTIES) {
            parsePort(System.getProperty(prop)).filter(p -> p > 0 && !ports.contains(p)).ifPresent(ports::add);
        }
        return ports;
    }

    private static Optional<Integer> parsePort(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
