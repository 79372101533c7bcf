package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.Test;

/**
 * Other Jolokias are found by their {@code jolokia:*} MBeans, one entry per agent id, the agent's own
 * left out. (The JMX remote half reads JVM-wide system properties; OtherJmxBridgesIT checks it in a
 * JVM of its own.)
 */
class JmxBridgeDetectorTest {

    /** What a Jolokia registers, reduced to a name. */
    public interface MarkerMBean {
        int getOne();
    }

    @Test
    void eachForeignJolokiaIsNamedOnceAndTheAgentsOwnIsNot() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        for (String n : List.of("jolokia:type=Config,agent=tcpjmx-own", "jolokia:type=ServerHandler,agent=tcpjmx-own",
                "jolokia:type=Config,agent=hawtio-servlet", "jolokia:type=ServerHandler,agent=hawtio-servlet",
                "jolokia:type=Config")) {
            server.registerMBean(new StandardMBean((MarkerMBean) () -> 1, MarkerMBean.class), new ObjectName(n));
        }
        List<String> found = new JmxBridgeDetector(server, "tcpjmx-own").find();
        List<String> jolokias = found.stream().filter(s -> s.startsWith("Jolokia")).toList();
        assertEquals(List.of("Jolokia (jolokia:type=Config)", "Jolokia 'hawtio-servlet' (jolokia:type=Config,agent=hawtio-servlet)"),
                jolokias.stream().map(s -> s.replaceFirst(" at .*", "")).toList(), found.toString());
    }
}
