package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.agent.testing.TargetJvm;

/**
 * The user story of the issue: a service already runs (the demo server, a JVM of its own); the
 * operator attaches the agent with the command line, reads and queries over HTTP, cuts one real
 * connection with a POST, and detaches, leaving no thread and no MBean behind. Only connections
 * this test opens are dropped.
 */
class AttachToRunningJvmIT {
    private static final String CONNECTIONS = "org.tcpjmx:type=Connections";
    private static final String DROP = "org.tcpjmx:type=Drop";

    @Test
    void attachQueryDropAndDetachThroughTheCommandLineAndHttp() throws Exception {
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of(), "--port", "0", "--clients", "1", "--leak-close-wait", "1")) {
            int demoPort = demo.awaitReady();
            String pid = demo.pid();

            AgentCli.Result attach = AgentCli.run("attach", pid, "port=0");
            assertEquals(0, attach.status(), attach.toString());
            String url = attach.firstLine();
            assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/jolokia/"), attach.toString());
            demo.awaitErr(l -> l.contains("tcpjmx-agent: ") && l.contains(url), 10);

            AgentCli.Result again = AgentCli.run("attach", pid, "port=0");
            assertEquals(0, again.status(), again.toString());
            assertEquals(url, again.firstLine());
            assertTrue(again.err().contains("already running at " + url), again.toString());

            AgentCli.Result status = AgentCli.run("status", pid);
            assertEquals(0, status.status(), status.toString());
            assertEquals("JVM " + pid + ": running at " + url, status.firstLine());
            AgentCli.Result list = AgentCli.run("list");
            assertEquals(0, list.status(), list.toString());
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith(pid + " ") && l.contains(" running ") && l.contains(url)
                    && l.contains("DemoServer")), list.toString());

            Answer histogram = Http.get(url + "read/org.tcpjmx:type=States/Histogram");
            assertEquals(200, histogram.jolokiaStatus(), histogram.body());
            assertEquals(11, ((Map<?, ?>) histogram.value()).size(), histogram.body());
            Answer agent = Http.get(url + "read/org.tcpjmx:type=Agent");
            Map<?, ?> agentInfo = (Map<?, ?>) agent.value();
            assertEquals("netlink", agentInfo.get("Backend"), agent.body());
            assertEquals(url, agentInfo.get("JolokiaUrl"));
            assertFalse(((String) agentInfo.get("Version")).isEmpty());

            try (Socket ours = new Socket(InetAddress.getLoopbackAddress(), demoPort)) {
                BufferedReader echo = new BufferedReader(new InputStreamReader(ours.getInputStream(), StandardCharsets.UTF_8));
                OutputStream say = ours.getOutputStream();
                say.write("hello\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("hello", echo.readLine());
                int ourPort = ours.getLocalPort();
                String served = "127.0.0.1:" + demoPort + " 127.0.0.1:" + ourPort;

                Answer rows = Http.post(url, Http.exec(CONNECTIONS, "query", "src 127.0.0.1:" + demoPort + " and dst 127.0.0.1:" + ourPort, 0));
                assertEquals(200, rows.jolokiaStatus(), rows.body());
                List<?> found = (List<?>) rows.value();
                assertEquals(1, found.size(), rows.body());
                Map<?, ?> row = (Map<?, ?>) found.get(0);
                assertEquals("ESTABLISHED", row.get("state"));
                assertEquals(Boolean.TRUE, row.get("owned"), "the demo JVM holds the served socket");

                Answer byGet = Http.get(url + "exec/" + DROP + "/dropSpec/" + served.replace(" ", "%20"));
                assertEquals(405, byGet.status(), byGet.body());
                say.write("still there\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("still there", echo.readLine(), "a GET exec must not have dropped anything");

                Answer drop = Http.post(url, Http.exec(DROP, "dropSpec", served));
                assertEquals(200, drop.jolokiaStatus(), drop.body());
                Map<?, ?> report = (Map<?, ?>) drop.value();
                assertEquals(1L, ((Number) report.get("dropped")).longValue(), drop.body());
                ours.setSoTimeout(10_000);
                SocketException reset = assertThrows(SocketException.class, () -> {
                    while (echo.readLine() != null) {
                        // Drain to the reset.
                    }
                });
                assertTrue(reset.getMessage().toLowerCase().contains("reset"), reset.getMessage());
            }

            AgentCli.Result table = AgentCli.run("table", "--url", url, "src 127.0.0.1:" + demoPort);
            assertEquals(0, table.status(), table.toString());
            assertTrue(table.out().lines().anyMatch(l -> l.startsWith("LISTEN") && l.contains(":" + demoPort + " ")), table.toString());
            AgentCli.Result states = AgentCli.run("states", "--url", url, "--json", "src 127.0.0.1:" + demoPort);
            assertEquals(0, states.status(), states.toString());
            assertTrue(states.out().contains("\"LISTEN\":1"), states.toString());

            assertFalse(TargetJvm.agentThreads(pid).isEmpty(), "the agent's threads run while it is attached");
            AgentCli.Result detach = AgentCli.run("detach", pid);
            assertEquals(0, detach.status(), detach.toString());
            assertEquals(List.of(), TargetJvm.agentThreads(pid), "threads left behind by detach");
            assertTrue(TargetJvm.agentLoaderCollected(pid), "the agent's class loader stays reachable after detach: "
                    + AgentCli.jcmd(pid, "VM.classloader_stats"));
            assertEquals(1, AgentCli.run("status", pid).status());
            assertThrows(AssertionError.class, () -> Http.get(url + "version"), "nothing listens after detach");
            assertTrue(TargetJvm.mbeans(pid, "org.tcpjmx:*").isEmpty(), "org.tcpjmx MBeans left registered");
            assertTrue(TargetJvm.mbeans(pid, "jolokia:*").isEmpty(), "Jolokia MBeans left registered");
            assertTrue(demo.isAlive());
            demo.awaitErr(l -> l.contains("tcpjmx-agent: detached"), 5);
        }
    }

    @Test
    void reattachedReadOnlyWithBasicAuth() {
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of(), "--port", "0", "--clients", "1")) {
            int demoPort = demo.awaitReady();
            AgentCli.Result attach = AgentCli.run("attach", demo.pid(), "port=0", "readOnly=true,user=ops,password=s3cret");
            assertEquals(0, attach.status(), attach.toString());
            String url = attach.firstLine();
            String[] auth = Http.basic("ops", "s3cret");

            assertEquals(401, Http.get(url + "read/org.tcpjmx:type=States/Total").status());
            assertEquals(401, Http.post(url, Http.exec(DROP, "dropAll", true)).status());
            Answer total = Http.get(url + "read/org.tcpjmx:type=States/Total", auth);
            assertEquals(200, total.jolokiaStatus(), total.body());
            Answer drop = Http.post(url, Http.exec(DROP, "dropSpec", "127.0.0.1:" + demoPort + " 127.0.0.1:1"), auth);
            assertEquals(403, drop.jolokiaStatus(), drop.body());
            Answer query = Http.post(url, Http.exec(CONNECTIONS, "query", "src 127.0.0.1:" + demoPort, 1), auth);
            assertEquals(200, query.jolokiaStatus(), query.body());

            AgentCli.Result anonymous = AgentCli.run("states", "--url", url);
            assertEquals(1, anonymous.status(), anonymous.toString());
            assertTrue(anonymous.err().contains("requires authentication"), anonymous.toString());
            AgentCli.Result refused = AgentCli.runWith(JvmProcess.java(), Map.of("TCPJMX_PASSWORD", "s3cret"),
                    "tcpdrop", "--url", url, "--user", "ops", "-l", "-a");
            assertEquals(1, refused.status(), refused.toString());
            assertTrue(refused.err().contains("403"), refused.toString());
            AgentCli.Result states = AgentCli.runWith(JvmProcess.java(), Map.of("TCPJMX_PASSWORD", "s3cret"),
                    "states", "--url", url, "--user", "ops", "src 127.0.0.1:" + demoPort);
            assertEquals(0, states.status(), states.toString());
            assertTrue(states.out().contains("LISTEN       1"), states.toString());
            assertEquals(0, AgentCli.run("detach", demo.pid()).status());
        }
    }
}
