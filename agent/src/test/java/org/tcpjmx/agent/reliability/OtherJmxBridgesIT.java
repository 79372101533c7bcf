package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * The blast radius of issue 17: a JVM with a Jolokia of its own (the stock Jolokia JVM agent from
 * Maven Central) and a JMX remote port without authentication, as JConsole would use it; then
 * tcpjmx attached. With drops kept to the agent (the default) both bridges read the histogram and
 * find no Drop MBean, while the agent's own endpoint drops a real connection; with
 * {@code dropAccess=everywhere} both reach the drops, and the agent says so once in the host's log
 * and in {@code OtherJmxBridges}.
 */
class OtherJmxBridgesIT {
    private static final String DROP = "org.tcpjmx:type=Drop";
    private static final String STATES = "org.tcpjmx:type=States";
    private static final String WARNING = "reachable through other JMX bridges";

    @Test
    void dropsStayWithTheAgentUnlessOpenedEverywhereAndThenTheOtherBridgesAreNamed() throws Exception {
        String foreignJar = System.getProperty("tcpjmx.it.foreign.jolokia.jar");
        assertTrue(foreignJar != null && Files.isRegularFile(Paths.get(foreignJar)), "the stock Jolokia agent jar: " + foreignJar);
        List<String> jvm = List.of("-javaagent:" + foreignJar + "=host=127.0.0.1,port=0",
                "-Dcom.sun.management.jmxremote.port=0", "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false");
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), jvm, Targets.quietDemo().toArray(new String[0]))) {
            int demoPort = demo.awaitReady();
            String pid = demo.pid();
            // "Jolokia: Agent 2.4.3 started with URL http://127.0.0.1:PORT/jolokia and PID ..."
            String foreign = demo.awaitOut(l -> l.startsWith("Jolokia: Agent ") && l.contains(" URL "), 30)
                    .replaceFirst(".* URL (\\S+?)/?( .*)?$", "$1");
            assertTrue(foreign.matches("http://127\\.0\\.0\\.1:\\d+/jolokia"), foreign);
            JMXServiceURL rmi = remoteJmxUrl(pid);

            String url = attach(pid, "port=0");
            Answer histogram = Http.get(foreign + "/read/" + STATES + "/Histogram");
            assertEquals(200, histogram.jolokiaStatus(), histogram.body());
            assertEquals(11, ((Map<?, ?>) histogram.value()).size(), histogram.body());
            Answer ops = Http.get(url + "list/org.tcpjmx/type=Drop/op");
            assertEquals(200, ops.jolokiaStatus(), ops.body());
            assertTrue(((Map<?, ?>) ops.value()).keySet().containsAll(List.of("drop", "dropSpec", "dropAll", "dropMatching")), ops.body());
            for (Object op : ((Map<?, ?>) ops.value()).keySet()) {
                Answer refused = Http.post(foreign, Http.exec(DROP, (String) op));
                assertEquals(404, refused.jolokiaStatus(), op + " through the foreign Jolokia: " + refused.body());
                assertTrue(refused.error().contains("InstanceNotFoundException") && refused.error().contains(DROP), refused.body());
            }
            try (JMXConnector jconsole = JMXConnectorFactory.connect(rmi)) {
                MBeanServerConnection c = jconsole.getMBeanServerConnection();
                assertEquals(11, ((CompositeData) c.getAttribute(new ObjectName(STATES), "Histogram")).values().size());
                assertFalse(c.isRegistered(new ObjectName(DROP)), "the Drop MBean over the JMX remote port");
                assertThrows(InstanceNotFoundException.class, () -> c.invoke(new ObjectName(DROP), "dropAll",
                        new Object[] {true}, new String[] {boolean.class.getName()}));
            }
            dropOneThroughTheAgent(url, demoPort);
            List<?> bridges = bridges(url);
            assertEquals(2, bridges.size(), bridges.toString());
            assertTrue(bridges.stream().anyMatch(b -> b.toString().contains(foreign) && b.toString().contains("reads only")), bridges.toString());
            assertTrue(bridges.stream().anyMatch(b -> b.toString().contains("JMX remote connector")
                    && b.toString().contains("authenticate=false") && b.toString().contains("reads only")), bridges.toString());
            assertFalse(demo.stderr().stream().anyMatch(l -> l.contains(WARNING)), String.join("\n", demo.stderr()));
            assertEquals(0, AgentCli.run("detach", pid).status());

            String open = attach(pid, "port=0,dropAccess=everywhere");
            String warning = demo.awaitErr(l -> l.contains(WARNING), 10);
            assertTrue(warning.contains(foreign) && warning.contains("com.sun.management.jmxremote.authenticate=false")
                    && warning.contains("dropAccess=agent"), warning);
            assertEquals(1, demo.stderr().stream().filter(l -> l.contains(WARNING)).count(), "one warning");
            assertTrue(bridges(open).stream().allMatch(b -> b.toString().contains("reaches the drop operations")), bridges(open).toString());
            Answer listed = Http.post(foreign, Http.exec(DROP, "dropMatching", "src 127.0.0.1:" + demoPort + " and state listening", true));
            assertEquals(200, listed.jolokiaStatus(), "with dropAccess=everywhere the foreign Jolokia reaches the drops: " + listed.body());
            try (JMXConnector jconsole = JMXConnectorFactory.connect(rmi)) {
                assertTrue(jconsole.getMBeanServerConnection().isRegistered(new ObjectName(DROP)));
            }
        }
    }

    private static String attach(String pid, String options) {
        AgentCli.Result attach = AgentCli.run("attach", pid, options);
        assertEquals(0, attach.status(), attach.toString());
        return attach.firstLine();
    }

    private static List<?> bridges(String url) {
        Answer a = Http.get(url + "read/org.tcpjmx:type=Agent/OtherJmxBridges");
        assertEquals(200, a.jolokiaStatus(), a.body());
        return (List<?>) a.value();
    }

    /** The JDK's remote connector address, as {@code jcmd PID ManagementAgent.status} shows it (port 0 picked one). */
    private static JMXServiceURL remoteJmxUrl(String pid) throws Exception {
        String status = AgentCli.jcmd(pid, "ManagementAgent.status");
        String remote = status.substring(status.indexOf("Connection Type: remote"));
        String line = remote.lines().filter(l -> l.trim().startsWith("URL")).findFirst()
                .orElseThrow(() -> new AssertionError("no remote connector: " + status));
        return new JMXServiceURL(line.substring(line.indexOf(':') + 1).trim());
    }

    /** A connection of this test to the demo, cut through the agent's own endpoint by its 4-tuple. */
    private static void dropOneThroughTheAgent(String url, int demoPort) throws Exception {
        try (Socket ours = new Socket(InetAddress.getLoopbackAddress(), demoPort)) {
            BufferedReader echo = new BufferedReader(new InputStreamReader(ours.getInputStream(), StandardCharsets.UTF_8));
            OutputStream say = ours.getOutputStream();
            say.write("hello\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello", echo.readLine());
            Answer drop = Http.post(url, Http.exec(DROP, "dropSpec", "127.0.0.1:" + demoPort + " 127.0.0.1:" + ours.getLocalPort()));
            assertEquals(200, drop.jolokiaStatus(), drop.body());
            assertEquals(1L, ((Number) ((Map<?, ?>) drop.value()).get("dropped")).longValue(), drop.body());
            ours.setSoTimeout(10_000);
            SocketException reset = assertThrows(SocketException.class, () -> {
                while (echo.readLine() != null) {
                    // Drain to the reset.
                }
            });
            assertNotNull(reset.getMessage());
            assertTrue(reset.getMessage().toLowerCase().contains("reset"), reset.getMessage());
        }
    }
}
