package org.tcpjmx.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Finds the other bridges to this JVM's platform MBeanServer that a remote client can use without
 * the agent's defences: another Jolokia (a JVM agent, a servlet, hawtio's, Spring Boot's actuator),
 * seen by its {@code jolokia:*} MBeans, and the JDK's JMX remote connector started without
 * authentication ({@code com.sun.management.jmxremote.port} with {@code ...authenticate=false}, as
 * a system property or in the management configuration file). JConsole's local attach is not one:
 * it needs the JVM's own user, who may load any agent anyway. A JMX remote connector started later by
 * {@code jcmd PID ManagementAgent.start} leaves no trace the agent can read, and is not seen.
 */
final class JmxBridgeDetector {
    static final String JMX_PORT = "com.sun.management.jmxremote.port";
    static final String JMX_AUTHENTICATE = "com.sun.management.jmxremote.authenticate";
    static final String MANAGEMENT_CONFIG = "com.sun.management.config.file";
    /** What Jolokia's JVM agent publishes its URL as (JvmAgent.JOLOKIA_AGENT_URL). */
    static final String JOLOKIA_AGENT_URL = "jolokia.agent";
    private static final ObjectName JOLOKIA = name("jolokia:*");

    private final MBeanServer platform;
    private final String ownJolokiaId;

    /**
     * @param platform the platform MBeanServer
     * @param ownJolokiaId the agent id of the agent's own Jolokia, whose MBeans are not another bridge
     */
    JmxBridgeDetector(MBeanServer platform, String ownJolokiaId) {
        this.platform = platform;
        this.ownJolokiaId = ownJolokiaId;
    }

    /** One sentence per bridge found, naming it; empty when there is none. */
    List<String> find() {
        List<String> found = new ArrayList<>(jolokias());
        jmxRemote().ifPresent(found::add);
        return found;
    }

    /** One entry per foreign Jolokia: its MBeans grouped by their {@code agent} key (Jolokia 1.x has none). */
    private List<String> jolokias() {
        Map<String, ObjectName> byAgent = new TreeMap<>();
        for (ObjectName n : platform.queryNames(JOLOKIA, null)) {
            String agent = Optional.ofNullable(n.getKeyProperty("agent")).orElse("");
            if (!agent.equals(ownJolokiaId)) {
                byAgent.merge(agent, n, (a, b) -> a.getCanonicalName().compareTo(b.getCanonicalName()) <= 0 ? a : b);
            }
        }
        String jvmAgentUrl = System.getProperty(JOLOKIA_AGENT_URL, "");
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, ObjectName> e : byAgent.entrySet()) {
            String id = e.getKey();
            // Jolokia's JVM agent ids end with "-jvm"; its URL is the only one a JVM publishes.
            boolean servesUrl = !jvmAgentUrl.isEmpty() && (id.endsWith("-jvm") || byAgent.size() == 1);
            out.add("Jolokia " + (id.isEmpty() ? "" : "'" + id + "' ") + "(" + e.getValue() + ")"
                    + (servesUrl ? " at " + jvmAgentUrl : ""));
        }
        return out;
    }

    private static Optional<String> jmxRemote() {
        String port = System.getProperty(JMX_PORT);
        if (port == null || port.isBlank()) {
            return Optional.empty();
        }
        String authenticate = Optional.ofNullable(System.getProperty(JMX_AUTHENTICATE))
                .or(() -> Optional.ofNullable(managementConfig().getProperty(JMX_AUTHENTICATE)))
                .orElse("true");
        if (!authenticate.trim().equalsIgnoreCase("false")) {
            return Optional.empty();
        }
        String where = port.trim().equals("0") ? "on a port picked at start-up" : "on port " + port.trim();
        return Optional.of("JMX remote connector " + where + " without authentication (" + JMX_PORT + "="
                + port.trim() + ", " + JMX_AUTHENTICATE + "=false)");
    }

    /** The JDK's management.properties (or com.sun.management.config.file), which system properties override. */
    private static Properties managementConfig() {
        Properties p = new Properties();
        String file = System.getProperty(MANAGEMENT_CONFIG);
        Path path = file != null ? Paths.get(file) : Paths.get(System.getProperty("java.home"), "conf", "management", "management.properties");
        if (Files.isRegularFile(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // Unreadable: the JDK's own agent would have refused to start with it.
            }
        }
        return p;
    }

    private static ObjectName name(String n) {
        try {
            return new ObjectName(n);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(n, e);
        }
    }
}
