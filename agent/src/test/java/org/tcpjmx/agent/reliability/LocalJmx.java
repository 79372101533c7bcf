package org.tcpjmx.agent.reliability;

import com.sun.tools.attach.VirtualMachine;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A real JMX connection to another JVM of this host, as JConsole makes one: the attach API starts
 * the JVM's local management agent and hands back its connector address.
 */
final class LocalJmx implements AutoCloseable {
    private final JMXConnector connector;

    private LocalJmx(JMXConnector connector) {
        this.connector = connector;
    }

    static LocalJmx connect(String pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        return new LocalJmx(JMXConnectorFactory.connect(new JMXServiceURL(address)));
    }

    MBeanServerConnection server() throws java.io.IOException {
        return connector.getMBeanServerConnection();
    }

    @Override
    public void close() throws Exception {
        connector.close();
    }
}
