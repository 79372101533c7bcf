package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * The agent loaded at start-up ({@code -javaagent:tcpjmx-agent.jar=OPTIONS}): into an application
 * that has its own, different JNA, SLF4J and Jolokia (both keep working, each with its own), and with
 * options that cannot work (the application runs on regardless).
 */
class JavaagentIT {

    @Test
    void anApplicationWithItsOwnJnaSlf4jAndJolokiaKeepsThemWhileTheAgentServes() throws Exception {
        Path lib = Paths.get(System.getProperty("tcpjmx.it.app.lib"));
        Path app = Paths.get(JavaagentIT.class.getResource("/isolation/IsolatedApp.java").toURI());
        try (JvmProcess p = JvmProcess.start(List.of(JvmProcess.java(), "-javaagent:" + JvmProcess.agentJar() + "=port=0",
                "-cp", lib + "/*", app.toString()))) {
            p.awaitOut(l -> l.equals("REPORTED"), 60);
            String jna = p.awaitOut(l -> l.startsWith("jna "), 1);
            assertTrue(jna.startsWith("jna 5.13.0 ") && jna.contains("/jna-5.13.0.jar"), jna);
            assertTrue(jna.matches(".* getpid=" + p.pid()), "the application's JNA calls libc: " + jna);
            String slf4j = p.awaitOut(l -> l.startsWith("slf4j "), 1);
            assertTrue(slf4j.contains("/slf4j-api-1.7.36.jar") && slf4j.endsWith("binding=org.slf4j.impl.SimpleLoggerFactory"), slf4j);
            p.awaitErr(l -> l.contains("INFO isolated-app - the application's own SLF4J binding speaks"), 1);
            String jolokia = p.awaitOut(l -> l.startsWith("jolokia "), 1);
            assertTrue(jolokia.contains("/jolokia-agent-jvm-2.1.2-javaagent.jar") && jolokia.contains("\"agent\":\"2.1.2\""), jolokia);
            String agentLine = p.awaitOut(l -> l.startsWith("agent "), 1);
            String url = agentLine.substring("agent ".length());
            assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/jolokia/"), "published before main: " + agentLine);

            Answer version = Http.get(url + "version");
            assertEquals("2.4.3", ((Map<?, ?>) version.value()).get("agent"), version.body());
            Answer agent = Http.get(url + "read/org.tcpjmx:type=Agent/Backend");
            assertEquals("netlink", agent.value(), agent.body());
            Answer states = Http.get(url + "read/org.tcpjmx:type=States/Listen");
            assertEquals(200, states.jolokiaStatus(), states.body());

            int before = p.stdout().size();
            p.send("check");
            p.awaitOut(before, l -> l.equals("REPORTED"), 30);
            List<String> second = p.stdout().subList(before, p.stdout().size());
            assertTrue(second.stream().anyMatch(l -> l.startsWith("jna 5.13.0 ")), second.toString());
            assertTrue(second.stream().anyMatch(l -> l.contains("\"agent\":\"2.1.2\"")), second.toString());
            assertFalse(p.stderr().stream().anyMatch(l -> l.startsWith("WARNING: org.jolokia")), "no Jolokia warnings in the host's log: " + p.stderr());
            assertFalse(p.stderr().stream().anyMatch(l -> l.startsWith("\tat ")), "no stack trace in the host's output: " + p.stderr());
        }
    }

    @Test
    void anUnknownOptionIsLoggedAndTheApplicationRunsOn() {
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of("-javaagent:" + JvmProcess.agentJar() + "=port=0,colour=blue"),
                "--port", "0", "--clients", "1")) {
            demo.awaitReady();
            String message = demo.awaitErr(l -> l.startsWith("tcpjmx-agent: not started:"), 10);
            assertTrue(message.contains("unknown option 'colour'"), message);
            assertTrue(demo.isAlive());
            AgentCli.Result status = AgentCli.run("status", demo.pid());
            assertEquals(1, status.status(), status.toString());
            assertTrue(status.firstLine().contains("failed: unknown option 'colour'"), status.toString());
        }
    }

    @Test
    void aBusyPortIsLoggedTheApplicationRunsOnAndALaterAttachWorks() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of("-javaagent:" + JvmProcess.agentJar() + "=port=" + taken.getLocalPort()),
                     "--port", "0", "--clients", "1")) {
            int demoPort = demo.awaitReady();
            String message = demo.awaitErr(l -> l.startsWith("tcpjmx-agent: not started:"), 10);
            assertTrue(message.contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), message);
            assertTrue(demo.isAlive());

            AgentCli.Result attach = AgentCli.run("attach", demo.pid(), "port=0");
            assertEquals(0, attach.status(), attach.toString());
            Answer listen = Http.post(attach.firstLine(), Http.exec("org.tcpjmx:type=Connections", "query", "src 127.0.0.1:" + demoPort, 0));
            assertEquals(1, ((List<?>) listen.value()).stream().filter(r -> "LISTEN".equals(((Map<?, ?>) r).get("state"))).count(), listen.body());

            AgentCli.Result busy = AgentCli.run("attach", demo.pid(), "port=" + taken.getLocalPort());
            assertEquals(0, busy.status(), "already running: the new options are not applied " + busy);
            assertEquals(0, AgentCli.run("detach", demo.pid()).status());
            AgentCli.Result failing = AgentCli.run("attach", demo.pid(), "port=" + taken.getLocalPort());
            assertEquals(1, failing.status(), failing.toString());
            assertTrue(failing.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), failing.toString());
            assertTrue(demo.isAlive());
        }
    }
}
