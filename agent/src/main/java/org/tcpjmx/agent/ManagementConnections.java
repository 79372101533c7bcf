package org.tcpjmx.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

/**
 * The connections that manage this JVM: clients of the agent's Jolokia port and of the JVM's JMX
 * remote ports. Bulk drops skip them, so that a {@code drop all} sent through Jolokia does not cut
 * the very connection that carries it (tcpdrop(8) shows {@code grep -vw 22} for the same reason).
 */
final class ManagementConnections implements Predicate<TcpConnection> {
    /** System properties of the JDK's JMX remote agent (jdk.management.agent). */
    static final List<String> JMX_PORT_PROPERTIES = List.of("com.sun.management.jmxremote.port", "com.sun.management.jmxremote.rmi.port");

    private final List<InetSocketAddress> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener of this JVM whose accepted connections are management connections. */
    void addListener(InetSocketAddress address) {
        listeners.add(address);
    }

    @Override
    public boolean test(TcpConnection c) {
        if (c.state() == TcpState.LISTEN) {
            return false;
        }
        int port = c.local().port();
        for (InetSocketAddress l : listeners) {
            if (l.getPort() == port && (l.getAddress().isAnyLocalAddress() || sameAddress(l.getAddress(), c))) {
                return true;
            }
        }
        // Read on every test: the JMX agent can be started later (jcmd ManagementAgent.start).
        return jmxPorts().contains(port);
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

    private static boolean sameAddress(InetAddress bound, TcpConnection c) {
        try {
            InetAddress local = c.local().toInetAddress();
            return bound.equals(local);
        } catch (RuntimeException e) {
            return false;
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
