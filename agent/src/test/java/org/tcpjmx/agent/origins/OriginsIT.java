package org.tcpjmx.agent.origins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.slf4j.LoggerFactory;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.Jdks;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.agent.testing.TargetJvm;
import org.tcpjmx.jmx.OriginLookup;
import org.tcpjmx.originapp.AsyncConnectsUnderGc;
import org.tcpjmx.originapp.NoRetransformAgent;
import org.tcpjmx.originapp.SchemaChangingAgent;
import org.tcpjmx.originapp.SocketOpener;

/**
 * "Which code opened these sockets?": a child JVM opens one socket of each covered kind from a known
 * line; with origin tracking on, the row of each (selected by its full 4-tuple) names that line; a
 * socket opened before tracking has none; detach leaves no transformer or hook holding the agent
 * (its loader is collected), and a re-attach records afresh. Where the JVM cannot retransform
 * (another agent breaks every retransformation of Socket; an Instrumentation without
 * Can-Retransform-Classes), switching on says why, changes nothing, and the agent serves on.
 */
class OriginsIT {
    private static final List<String> KINDS = List.of("socket", "accept", "channel", "finishConnect", "channelAccept", "async",
            "asyncAccept", "asyncAcceptFuture");
    private static final String CONNECTIONS = "org.tcpjmx:type=Connections";
    private static final String AGENT = "org.tcpjmx:type=Agent";

    /** One socket the app opened: its 4-tuple as ss filters it, and the origin it expects. */
    record Opened(String kind, String filter, String origin) {
        static Opened parse(String line) {
            String[] f = line.split(" ");
            return new Opened(f[1], "src " + f[2] + ":" + f[3] + " and dst " + f[4] + ":" + f[5], f[6]);
        }
    }

    private static JvmProcess app(String java, List<String> jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", Paths.get(SocketOpener.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                SocketOpener.class.getName()));
        JvmProcess p = JvmProcess.start(cmd);
        p.awaitReady();
        return p;
    }

    private static Opened open(JvmProcess app, String kind) {
        int from = app.stdout().size();
        app.send(kind);
        String line = app.awaitOut(from, l -> l.startsWith("OPENED " + kind + " ") || l.startsWith("FAILED"), 20);
        assertTrue(line.startsWith("OPENED"), line);
        return Opened.parse(line);
    }

    private static Map<?, ?> row(String url, Opened o) {
        Answer a = Http.post(url, Http.exec(CONNECTIONS, "query", o.filter(), 0));
        List<?> rows = (List<?>) a.value();
        assertEquals(1, rows.size(), o + ": " + a.body());
        return (Map<?, ?>) rows.get(0);
    }

    private static String attach(JvmProcess app, String options) {
        AgentCli.Result r = AgentCli.run("attach", app.pid(), options);
        assertEquals(0, r.status(), r.toString());
        return r.firstLine();
    }

    @Test
    void attachedTheRowOfEachKindOfSocketNamesTheLineThatOpenedItAndDetachLetsGo() throws Exception {
        try (JvmProcess app = app(JvmProcess.java(), List.of())) {
            Opened before = open(app, "socket");
            String url = attach(app, "port=0,trackOrigins=true");
            assertEquals(true, Http.get(url + "read/" + AGENT + "/TrackOrigins").value());

            for (String kind : KINDS) {
                Opened o = open(app, kind);
                Map<?, ?> row = row(url, o);
                assertEquals(true, row.get("owned"), row.toString());
                assertEquals(o.origin(), row.get("origin"), kind + ": " + row);
                assertTrue(((String) row.get("originStack")).startsWith(o.origin()), row.toString());
            }
            assertEquals("", row(url, before).get("origin"), "a socket opened before tracking has no origin");

            Answer groups = Http.post(url, Http.exec(CONNECTIONS, "byOrigin", "state established"));
            List<?> byOrigin = (List<?>) groups.value();
            Map<?, ?> unknown = byOrigin.stream().map(g -> (Map<?, ?>) g).filter(g -> "".equals(g.get("origin"))).findFirst().orElseThrow();
            assertTrue(((Number) unknown.get("count")).longValue() >= 1, groups.body());
            assertTrue(byOrigin.stream().map(g -> (Map<?, ?>) g).anyMatch(g -> String.valueOf(g.get("origin")).startsWith(SocketOpener.class.getName())
                    && String.valueOf(g.get("states")).startsWith("ESTABLISHED=")), groups.body());

            Answer bad = Http.post(url, Http.exec(CONNECTIONS, "byOrigin", "stat established"));
            assertNotEquals(200, bad.jolokiaStatus(), bad.body());
            assertTrue(bad.error().contains("stat"), bad.body());

            assertEquals(0, AgentCli.run("detach", app.pid()).status());
            assertEquals(List.of(), TargetJvm.agentThreads(app.pid()));
            assertTrue(TargetJvm.agentLoaderCollected(app.pid()),
                    "after detach no transformer or hook may hold the agent's class loader");

            Opened between = open(app, "socket");
            String again = attach(app, "port=0,trackOrigins=true");
            assertEquals("", row(again, between).get("origin"), "opened while detached");
            Opened after = open(app, "channel");
            assertEquals(after.origin(), row(again, after).get("origin"));
            // The agent's own Jolokia connections are recorded too; of the app's sockets only the one since the re-attach.
            Answer since = Http.post(again, Http.exec(CONNECTIONS, "byOrigin", ""));
            long appRecorded = ((List<?>) since.value()).stream().map(g -> (Map<?, ?>) g)
                    .filter(g -> String.valueOf(g.get("origin")).startsWith(SocketOpener.class.getName()))
                    .mapToLong(g -> ((Number) g.get("count")).longValue()).sum();
            assertEquals(1, appRecorded, "only the app's socket opened since the re-attach has an origin: " + since.body());
            assertEquals(0, AgentCli.run("detach", app.pid()).status());
        }
    }

    @Test
    void withJavaagentOnTheNewestJdkTrackingStartsAtOnceAndSwitchesOffAndOn() throws Exception {
        Optional<Jdks.Found> jdk = Jdks.atLeast(24);
        String java = jdk.map(f -> f.java().toString()).orElse(JvmProcess.java());
        System.out.println("origins with -javaagent on " + jdk.map(Object::toString).orElse("the test JDK (" + Jdks.whyNone(24) + ")"));
        List<String> options = new ArrayList<>(List.of("-javaagent:" + JvmProcess.agentJar() + "=port=0,trackOrigins=true"));
        jdk.ifPresent(f -> options.add("--enable-native-access=ALL-UNNAMED"));
        try (JvmProcess app = app(java, options)) {
            String url = app.awaitErr(l -> l.contains("serving org.tcpjmx MBeans at "), 30).replaceAll(".* at (\\S+);.*", "$1");
            Opened o = open(app, "socket");
            assertEquals(o.origin(), row(url, o).get("origin"));

            Answer off = Http.post(url, Map.of("type", "write", "mbean", AGENT, "attribute", "TrackOrigins", "value", false));
            assertEquals(200, off.jolokiaStatus(), off.body());
            Opened untracked = open(app, "accept");
            assertEquals("", row(url, untracked).get("origin"));
            assertEquals("", row(url, o).get("origin"), "switching off forgets the records");

            Answer on = Http.post(url, Map.of("type", "write", "mbean", AGENT, "attribute", "TrackOrigins", "value", true));
            assertEquals(200, on.jolokiaStatus(), on.body());
            Opened tracked = open(app, "finishConnect");
            assertEquals(tracked.origin(), row(url, tracked).get("origin"));
        }
    }

    @Test
    void collectionsWhileTheRewrittenAsyncConnectRunsInterpretedDoNotAbortTheJvmOnJdk17OrTheNewest() throws Exception {
        List<String> javas = new ArrayList<>(List.of(JvmProcess.java()));
        Jdks.atLeast(24).ifPresent(f -> javas.add(f.java().toString()));
        for (String java : javas) {
            List<String> cmd = new ArrayList<>(List.of(java, "-Xint", "-Xmx32m",
                    "-javaagent:" + JvmProcess.agentJar() + "=jolokia=false,trackOrigins=true",
                    "-cp", location(AsyncConnectsUnderGc.class), AsyncConnectsUnderGc.class.getName(), "4"));
            try (JvmProcess app = JvmProcess.start(cmd)) {
                String done = app.awaitOut(l -> l.startsWith("DONE "), 60);
                assertEquals(0, app.waitFor(30), java + ": " + app.stdout() + " " + app.stderr());
                assertTrue(Long.parseLong(done.substring(5)) > 0, done);
            }
        }
    }

    @Test
    void theDemosLeakedCloseWaitSocketsNameTheDemosAcceptLineInTheRecipe() {
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of("-javaagent:" + JvmProcess.agentJar() + "=port=0,trackOrigins=true"),
                "--port", "0", "--leak-close-wait", "3")) {
            demo.awaitReady();
            String url = demo.awaitErr(l -> l.contains("serving org.tcpjmx MBeans at "), 30).replaceAll(".* at (\\S+);.*", "$1");
            String recipe = Paths.get(System.getProperty("tcpjmx.examples.dir"), "recipes", "by-origin.sh").toString();
            AgentCli.Result r = null;
            for (int i = 0; i < 50 && (r == null || !r.out().contains("CLOSE_WAIT=3")); i++) {
                r = AgentCli.exec(List.of("bash", recipe, "--url", url, "state close-wait"), Map.of());
            }
            assertEquals(0, r.status(), r.toString());
            String first = r.out().lines().findFirst().orElse("");
            assertTrue(first.matches("3 CLOSE_WAIT=3 org\\.tcpjmx\\.examples\\.DemoServer\\.acceptLoop\\(DemoServer\\.java:\\d+\\) \\(oldest \\d+ s\\)"),
                    r.toString());

            // The same through the CLI verbs: states --by-origin groups them, table --origins names each row's line.
            AgentCli.Result groups = AgentCli.run("states", "--by-origin", "--url", url, "state close-wait");
            assertEquals(0, groups.status(), groups.toString());
            assertTrue(groups.out().lines().anyMatch(l -> l.matches("\\s*3\\s+\\S+\\s+CLOSE_WAIT=3\\s+org\\.tcpjmx\\.examples\\.DemoServer\\.acceptLoop\\(DemoServer\\.java:\\d+\\)")),
                    groups.toString());
            AgentCli.Result rows = AgentCli.run("table", "--origins", "--url", url, "owned and state close-wait");
            assertEquals(0, rows.status(), rows.toString());
            List<String> lines = rows.out().lines().toList();
            assertTrue(lines.get(0).endsWith(" Origin"), rows.toString());
            assertEquals(3, lines.stream().filter(l -> l.matches(".*DemoServer\\.acceptLoop\\(DemoServer\\.java:\\d+\\)$")).count(), rows.toString());
        }
    }

    /** A manifest-only agent jar: its Premain-Class comes from the child's class path. */
    private static Path agentJar(Path dir, Class<?> premain, boolean canRetransform) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Premain-Class", premain.getName());
        if (canRetransform) {
            m.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        }
        Path jar = dir.resolve(premain.getSimpleName() + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.flush();
        }
        return jar;
    }

    private static String location(Class<?> c) throws Exception {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void whenAnotherAgentMakesEveryRetransformationOfSocketFailSwitchingOnSaysWhyChangesNothingAndTheAgentServesOn(@TempDir Path dir)
            throws Exception {
        String hostile = "-javaagent:" + agentJar(dir, SchemaChangingAgent.class, true);
        String cp = location(SocketOpener.class) + File.pathSeparator + location(ClassReader.class);
        List<String> cmd = List.of(JvmProcess.java(), hostile, "-javaagent:" + JvmProcess.agentJar() + "=port=0,trackOrigins=true",
                "-cp", cp, SocketOpener.class.getName());
        try (JvmProcess app = JvmProcess.start(cmd)) {
            app.awaitReady();
            String refused = app.awaitErr(l -> l.startsWith("tcpjmx-agent: trackOrigins=true: "), 30);
            assertTrue(refused.contains("refused to retransform") && refused.contains("UnsupportedOperationException")
                    && refused.contains("goes on without them"), refused);
            String url = app.awaitErr(l -> l.contains("serving org.tcpjmx MBeans at "), 30).replaceAll(".* at (\\S+);.*", "$1");
            assertEquals(false, Http.get(url + "read/" + AGENT + "/TrackOrigins").value());

            Opened o = open(app, "socket");
            Map<?, ?> row = row(url, o);
            assertEquals(true, row.get("owned"), "the agent still answers for its JVM's sockets: " + row);
            assertEquals("", row.get("origin"), row.toString());

            Answer on = Http.post(url, Map.of("type", "write", "mbean", AGENT, "attribute", "TrackOrigins", "value", true));
            assertNotEquals(200, on.jolokiaStatus(), on.body());
            assertTrue(on.error().contains("refused to retransform") && on.error().contains("UnsupportedOperationException"), on.body());
            assertEquals(false, Http.get(url + "read/" + AGENT + "/TrackOrigins").value());
            assertEquals(0L, ((Number) Http.get(url + "read/" + AGENT + "/OriginRecords").value()).longValue());
            Opened after = open(app, "accept");
            assertEquals("", row(url, after).get("origin"), "nothing records after the refusal");
        }
    }

    @Test
    void anInstrumentationThatCannotRetransformIsRefusedWithTheReasonAndNothingIsInstalled(@TempDir Path dir) throws Exception {
        String agent = "-javaagent:" + agentJar(dir, NoRetransformAgent.class, false);
        String cp = String.join(File.pathSeparator, location(SocketOpener.class), location(OriginTracking.class),
                location(OriginLookup.class), location(LoggerFactory.class), location(ClassReader.class));
        try (JvmProcess app = JvmProcess.start(List.of(JvmProcess.java(), agent, "-cp", cp, SocketOpener.class.getName()))) {
            app.awaitReady();
            String refused = app.awaitOut(l -> l.startsWith("REFUSED ") || l.equals("TRACKING"), 30);
            assertTrue(refused.startsWith("REFUSED ") && refused.contains("Can-Retransform-Classes"), refused);
            assertEquals("AFTER tracking=false rewritten=[] hook=false", app.awaitOut(l -> l.startsWith("AFTER "), 30));
        }
    }
}
