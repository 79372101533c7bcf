package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.Jdks;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.agent.testing.TargetJvm;

/**
 * The agent in JDK 25 targets (the newest JDK of release 24 or later that {@link Jdks} finds): attached dynamically (JDK 21+ warn about that), with JNA's native
 * access warned about (JDK 24+) or refused ({@code --illegal-native-access=deny}: the agent reads /proc
 * and says so), and at start-up with native access enabled (no warning at all); a modular
 * application attached to is quiet only with java.instrument in its module graph.
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

    /**
     * src/docs/agent.md's flags for a modular service that will be attached to. A modular application
     * resolves only what it requires, so java.instrument is not in its boot layer: the JVM loads it
     * into a layer of its own when the agent is attached, while the JDK grants its own modules native
     * access in the boot layer at start-up only, and so warns about its System::loadLibrary.
     * --enable-native-access=java.instrument cannot help (the JVM calls the module unknown at
     * start-up); --add-modules java.instrument puts it in the boot layer, and then nothing warns.
     */
    @Test
    void anAttachedModularApplicationIsQuietOnlyWithJavaInstrumentInItsModuleGraph(@TempDir Path dir) throws Exception {
        Path modules = modularApplication(dir);
        List<String> quietForClassPath = List.of("-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED");

        List<String> without = attachAndEnd(modules, "jdk.httpserver", quietForClassPath);
        assertTrue(without.contains("WARNING: java.lang.System::loadLibrary has been called by sun.instrument.InstrumentationImpl"
                + " in module java.instrument"), "java.instrument warned: " + without);
        assertFalse(without.stream().anyMatch(l -> l.contains("com.sun.jna.Native") || l.contains("loaded dynamically")),
                "ALL-UNNAMED and EnableDynamicAgentLoading still silence JNA and the dynamic load: " + without);

        List<String> with = attachAndEnd(modules, "jdk.httpserver,java.instrument", quietForClassPath);
        assertEquals(List.of(), with.stream().filter(l -> l.startsWith("WARNING")).toList(), "no warning at all: " + with);
    }

    /** A module {@code app} whose main prints a line and returns when its standard input gives one. */
    private static Path modularApplication(Path dir) throws Exception {
        Path src = dir.resolve("src/app");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), "module app { }\n");
        Files.writeString(src.resolve("app/Main.java"), "package app;\npublic class Main {\n"
                + "    public static void main(String[] a) throws Exception {\n"
                + "        System.out.println(\"app ready\");\n"
                + "        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();\n"
                + "    }\n}\n");
        Path out = dir.resolve("out");
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                "--module-source-path", dir.resolve("src").toString(), "-m", "app");
        assertEquals(0, compiled, "the test's module compiles");
        return out;
    }

    /** Starts the module with these options, attaches, reads the Agent MBean, ends it: its whole stderr. */
    private static List<String> attachAndEnd(Path modules, String addModules, List<String> options) {
        List<String> cmd = new ArrayList<>(List.of(newJava, "--add-modules", addModules));
        cmd.addAll(options);
        cmd.addAll(List.of("-p", modules.toString(), "-m", "app/app.Main"));
        try (JvmProcess app = JvmProcess.start(cmd)) {
            app.awaitOut(l -> l.equals("app ready"), 30);
            AgentCli.Result attach = AgentCli.run("attach", app.pid(), "port=0");
            assertEquals(0, attach.status(), attach.toString());
            Map<?, ?> agent = (Map<?, ?>) Http.get(attach.firstLine() + "read/org.tcpjmx:type=Agent").value();
            assertEquals("netlink", agent.get("Backend"), agent.toString());
            app.send("");
            assertEquals(0, app.waitFor(30), String.join("\n", app.stderr()));
            app.drained(10);
            return app.stderr();
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
