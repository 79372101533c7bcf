package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.Jdks;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.agent.testing.TargetJvm;

/**
 * The agent in JDK 25 targets (the newest JDK of release 24 or later that {@link Jdks} finds): attached dynamically (JDK 21+ warn about that), with JNA's native
 * access warned about (JDK 24+) or refused ({@code --illegal-native-access=deny}: the agent reads /proc
 * and says so), and at start-up with native access enabled (no warning at all).
 */
class Jdk25IT {
    /** JDK 24 is the first to warn about JNA's native access; the newest JDK found runs the targets. */
    private static final Optional<Jdks.Found> NEW_JDK = Jdks.atLeast(24);
    private static String newJava;

    @BeforeAll
    static void jdk25() {
        assumeTrue(NEW_JDK.isPresent(), Jdks.whyNone(24));
        newJava = NEW_JDK.get().java().toString();
    }

    @Test
    void attachingToJdk25WarnsAboutDynamicLoadingAndNativeAccessAndWorks() {
        try (JvmProcess demo = JvmProcess.demo(newJava, List.of(), "--port", "0", "--clients", "1")) {
            int demoPort = demo.awaitReady();
            AgentCli.Result attach = AgentCli.run("attach", demo.pid(), "port=0");
            assertEquals(0, attach.status(), attach.toString());
            String url = attach.firstLine();
            demo.awaitErr(l -> l.startsWith("WARNING: A Java agent has been loaded dynamically"), 10);
            demo.awaitErr(l -> l.contains("java.lang.System::load has been called by com.sun.jna.Native"), 10);

            Map<?, ?> agent = (Map<?, ?>) Http.get(url + "read/org.tcpjmx:type=Agent").value();
            assertEquals("netlink", agent.get("Backend"), agent.toString());
            assertTrue(String.valueOf(agent.get("NativeAccess")).startsWith("allowed with a warning"), agent.toString());
            Answer rows = Http.post(url, Http.exec("org.tcpjmx:type=Connections", "query", "src 127.0.0.1:" + demoPort + " and state listening", 0));
            assertEquals(1, ((List<?>) rows.value()).size(), rows.body());

            AgentCli.Result detach = AgentCli.run("detach", demo.pid());
            assertEquals(0, detach.status(), detach.toString());
            assertEquals(List.of(), TargetJvm.agentThreads(demo.pid()));
        }
    }

    @Test
    void whereNativeAccessIsRefusedTheAgentReadsProcAndSaysSo() {
        try (JvmProcess demo = JvmProcess.demo(newJava, List.of("--illegal-native-access=deny"), "--port", "0", "--clients", "1")) {
            int demoPort = demo.awaitReady();
            AgentCli.Result attach = AgentCli.run("attach", demo.pid(), "port=0");
            assertEquals(0, attach.status(), attach.toString());
            String url = attach.firstLine();

            Map<?, ?> agent = (Map<?, ?>) Http.get(url + "read/org.tcpjmx:type=Agent").value();
            assertEquals("procfs", agent.get("Backend"), agent.toString());
            assertTrue(String.valueOf(agent.get("BackendDetail")).contains("--illegal-native-access=deny"), agent.toString());
            assertTrue(String.valueOf(agent.get("NativeAccess")).startsWith("refused"), agent.toString());
            assertEquals(Boolean.FALSE, agent.get("CanDropOthersSockets"), agent.toString());
            Answer rows = Http.post(url, Http.exec("org.tcpjmx:type=Connections", "query", "src 127.0.0.1:" + demoPort + " and state listening", 0));
            assertEquals(200, rows.jolokiaStatus(), rows.body());
            Map<?, ?> listener = (Map<?, ?>) ((List<?>) rows.value()).get(0);
            assertEquals("PROCFS", listener.get("backend"), rows.body());
            assertFalse(demo.stderr().stream().anyMatch(l -> l.startsWith("\tat ")), "no stack trace in the host's output: " + demo.stderr());
            assertEquals(0, AgentCli.run("detach", demo.pid()).status());
        }
    }

    @Test
    void atStartUpWithNativeAccessEnabledThereIsNoWarning() {
        try (JvmProcess demo = JvmProcess.demo(newJava, List.of("--enable-native-access=ALL-UNNAMED",
                "-javaagent:" + JvmProcess.agentJar() + "=port=0"), "--port", "0", "--clients", "1")) {
            demo.awaitReady();
            String url = demo.awaitOut(l -> l.startsWith("tcpjmx agent: http://"), 5).substring("tcpjmx agent: ".length()).trim();
            Map<?, ?> agent = (Map<?, ?>) Http.get(url + "read/org.tcpjmx:type=Agent").value();
            assertEquals("netlink", agent.get("Backend"), agent.toString());
            assertEquals("enabled (--enable-native-access=ALL-UNNAMED)", agent.get("NativeAccess"));
            assertFalse(demo.stderr().stream().anyMatch(l -> l.startsWith("WARNING: ") && !l.contains("org.tcpjmx")), demo.stderr().toString());
        }
    }
}
