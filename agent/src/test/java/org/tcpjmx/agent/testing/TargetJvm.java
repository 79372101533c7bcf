package org.tcpjmx.agent.testing;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** Looks into another JVM from outside, as an operator would: its threads and its MBeans. */
public final class TargetJvm {
    /** Thread names the agent and its libraries use: none may survive a detach. */
    public static final List<String> AGENT_THREAD_PREFIXES =
            List.of("tcpjmx-", "HTTP-Dispatcher", "idle-timeout-task", "server-timer", "JNA Cleaner", "jolokia");

    private TargetJvm() {
    }

    /** Every thread name of the JVM, through the attach API (what {@code jcmd PID Thread.print} lists). */
    public static List<String> threadNames(String pid) {
        List<String> names = new ArrayList<>();
        for (String line : AgentCli.jcmd(pid, "Thread.print").lines().toList()) {
            if (line.startsWith("\"")) {
                names.add(line.substring(1, line.indexOf('"', 1)));
            }
        }
        if (names.isEmpty()) {
            throw new AssertionError("jcmd " + pid + " Thread.print listed no threads");
        }
        return names;
    }

    /** The agent's threads among them. */
    public static List<String> agentThreads(String pid) {
        List<String> found = new ArrayList<>();
        for (String n : threadNames(pid)) {
            if (AGENT_THREAD_PREFIXES.stream().anyMatch(n::startsWith)) {
                found.add(n);
            }
        }
        return found;
    }

    /**
     * Whether the agent's class loader (a {@code java.net.URLClassLoader}; the demo server has none of
     * its own) is gone after a few full GCs. JNA's finalizer needs a GC to be queued and another one
     * after it ran, so this asks a few times.
     */
    public static boolean agentLoaderCollected(String pid) throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            AgentCli.jcmd(pid, "GC.run");
            if (!AgentCli.jcmd(pid, "VM.classloader_stats").contains("java.net.URLClassLoader")) {
                return true;
            }
            Thread.sleep(300);
        }
        return false;
    }

    /** MBean names matching {@code pattern} in the JVM's platform MBeanServer, over its local JMX connector. */
    public static Set<ObjectName> mbeans(String pid, String pattern) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = c.getMBeanServerConnection();
            return server.queryNames(new ObjectName(pattern), null);
        } catch (IOException e) {
            throw new AssertionError("cannot read the MBeans of " + pid + ": " + e, e);
        }
    }
}
