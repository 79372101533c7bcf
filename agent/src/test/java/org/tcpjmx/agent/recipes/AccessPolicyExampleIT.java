package org.tcpjmx.agent.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * examples/policy/read-and-drop-one.xml does what src/docs/security.md says: every org.tcpjmx read
 * and query, drops of one named connection, and nothing else: no bulk drop, no attribute write, no
 * MBean of the JVM's own (in particular no DiagnosticCommand, whose operations include loading a
 * native agent).
 */
class AccessPolicyExampleIT {
    private static final String DROP = "org.tcpjmx:type=Drop";

    @Test
    void theExamplePolicyAllowsReadsQueriesAndSingleDropsOnly() throws Exception {
        String policy = RecipeDemo.examples().resolve("policy/read-and-drop-one.xml").toString();
        JvmProcess p = JvmProcess.demo(JvmProcess.java(), List.of("-javaagent:" + JvmProcess.agentJar() + "=port=0,policy=" + policy),
                "--port", "0", "--clients", "1", "--idle", "0");
        try (p) {
            int echoPort = Integer.parseInt(p.awaitOut(l -> l.startsWith("READY port="), 30).split("\\s+")[1].substring(5));
            String url = p.awaitOut(l -> l.startsWith("tcpjmx agent: "), 5).substring("tcpjmx agent: ".length()).trim();

            assertEquals(200, Http.get(url + "read/org.tcpjmx:type=States/Histogram").jolokiaStatus());
            assertEquals(200, Http.post(url, Http.exec("org.tcpjmx:type=Connections", "query", "src 127.0.0.1:" + echoPort, 0)).jolokiaStatus());
            assertEquals(200, Http.post(url, Http.exec("org.tcpjmx:type=States", "byLocalPort", "src 127.0.0.1:" + echoPort)).jolokiaStatus());
            List<?> names = (List<?>) Http.get(url + "search/*:*").value();
            assertTrue(names.stream().allMatch(n -> String.valueOf(n).startsWith("org.tcpjmx:")), "only org.tcpjmx is listed: " + names);

            try (Socket ours = new Socket(InetAddress.getLoopbackAddress(), echoPort)) {
                Answer one = Http.post(url, Http.exec(DROP, "dropSpec", "127.0.0.1 " + echoPort + " 127.0.0.1 " + ours.getLocalPort()));
                assertEquals(200, one.jolokiaStatus(), one.body());
                assertEquals(1L, ((Number) ((Map<?, ?>) one.value()).get("dropped")).longValue(), one.body());
            }

            for (Answer refused : List.of(
                    Http.post(url, Http.exec(DROP, "dropState", "CLOSE_WAIT", true)),
                    Http.post(url, Http.exec(DROP, "dropMatching", "src 127.0.0.1:" + echoPort, true)),
                    Http.post(url, Map.of("type", "write", "mbean", "org.tcpjmx:type=States", "attribute", "CloseWaitThreshold", "value", 5)),
                    Http.get(url + "read/java.lang:type=Runtime/SystemProperties"),
                    Http.post(url, Http.exec("com.sun.management:type=DiagnosticCommand", "vmVersion")),
                    Http.post(url, Http.exec("java.lang:type=Memory", "gc")))) {
                assertEquals(403, refused.jolokiaStatus(), refused.body());
            }
        }
    }
}
