package org.tcpjmx.agent.http;

import java.lang.instrument.Instrumentation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import org.jolokia.server.core.detector.ServerDetector;
import org.jolokia.server.core.service.api.JolokiaContext;
import org.jolokia.server.core.service.api.LogHandler;
import org.jolokia.server.core.service.api.ServerHandle;
import org.jolokia.server.core.service.container.ContainerLocator;
import org.jolokia.server.core.service.request.RequestInterceptor;
import org.jolokia.server.core.util.jmx.MBeanServerAccess;

/**
 * Gives the agent's Jolokia the MBeanServers that only the agent serves (the Drop MBean's, agent
 * option {@code dropAccess=agent}), beside the platform MBeanServer. Jolokia 2.4 takes extra
 * MBeanServers only from server detectors, and creates those by class name from
 * {@code META-INF/jolokia/detectors}; so, as for {@link TcpJmxRestrictor}, the servers are handed over
 * on the thread that starts Jolokia. Such a server is never registered with {@code MBeanServerFactory}
 * (another Jolokia, hawtio, would find it there): this hand-over is the only way in.
 */
public final class AgentOnlyServerDetector implements ServerDetector {
    private static final ThreadLocal<List<MBeanServer>> HANDOVER = new ThreadLocal<>();
    /** Before Jolokia's fallback detector (order Integer.MAX_VALUE); no other detector is in the agent's jars. */
    private static final int ORDER = 1000;

    private final List<MBeanServer> servers;

    /** Called by Jolokia's detector lookup; takes the servers handed over on this thread (none: adds nothing). */
    public AgentOnlyServerDetector() {
        List<MBeanServer> s = HANDOVER.get();
        this.servers = s == null ? List.of() : s;
    }

    /** Makes {@code servers} the ones the next detector created on this thread adds; clear with {@link #clearHandOver()}. */
    static void handOver(List<MBeanServer> servers) {
        HANDOVER.set(List.copyOf(servers));
    }

    static void clearHandOver() {
        HANDOVER.remove();
    }

    @Override
    public Set<MBeanServerConnection> getMBeanServers() {
        return servers.isEmpty() ? null : new LinkedHashSet<>(servers);
    }

    @Override
    public String getName() {
        return "tcpjmx-agent-only";
    }

    @Override
    public void init(Map<String, Object> config) {
        // Nothing to configure.
    }

    /** Detects no server product: Jolokia's fallback gives the (empty) server handle, as with detectors off. */
    @Override
    public ServerHandle detect(MBeanServerAccess access) {
        return null;
    }

    @Override
    public RequestInterceptor getRequestInterceptor(MBeanServerAccess access) {
        return null;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public ClassLoader jvmAgentStartup(Instrumentation instrumentation) {
        return null;
    }

    @Override
    public ContainerLocator getContainerLocator(LogHandler logHandler) {
        return null;
    }

    @Override
    public void init(JolokiaContext context) {
        // Not a service of the running Jolokia: only its MBeanServers are used.
    }

    @Override
    public boolean isEnabled(JolokiaContext context) {
        return true;
    }

    @Override
    public void destroy() {
        // Holds nothing to release; the servers belong to the agent.
    }

    @Override
    public int compareTo(ServerDetector other) {
        return Integer.compare(getOrder(), other.getOrder());
    }
}
