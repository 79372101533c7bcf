package org.tcpjmx.jmx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * The MBeans registered in a fresh MBean server, served by a real RMI connector (an RMI registry
 * on an ephemeral loopback port), and a client connected to it. Clients see only what crosses the
 * wire: {@link #connection} is all a test's client code may use.
 */
final class RemoteJmx implements AutoCloseable {
    static {
        // Stubs must name loopback: the registry and connector listen nowhere else.
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
    }

    final MBeanServer server = MBeanServerFactory.newMBeanServer();
    final TcpJmx.Registration registration;
    final JMXServiceURL url;
    final MBeanServerConnection connection;
    private final Registry registry;
    private final JMXConnectorServer connectorServer;
    private final JMXConnector connector;

    /** Binds RMI sockets to loopback and remembers the first port it was given. */
    private static final class LoopbackSockets implements RMIServerSocketFactory {
        private volatile int firstPort = -1;

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            if (firstPort < 0) {
                firstPort = s.getLocalPort();
            }
            return s;
        }
    }

    RemoteJmx(TcpJmxOptions options) throws IOException {
        registration = TcpJmx.register(server, options);
        LoopbackSockets sockets = new LoopbackSockets();
        registry = LocateRegistry.createRegistry(0, null, sockets);
        url = new JMXServiceURL("service:jmx:rmi://127.0.0.1/jndi/rmi://127.0.0.1:" + sockets.firstPort + "/tcpjmx");
        connectorServer = JMXConnectorServerFactory.newJMXConnectorServer(url,
                Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets), server);
        connectorServer.start();
        connector = JMXConnectorFactory.connect(url);
        connection = connector.getMBeanServerConnection();
    }

    @Override
    public void close() throws IOException {
        try {
            connector.close();
            connectorServer.stop();
        } finally {
            UnicastRemoteObject.unexportObject(registry, true);
            registration.close();
        }
    }
}
