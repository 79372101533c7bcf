package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jolokia.json.parser.JSONParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.Jdks;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.testing.UnprivilegedJvm;
import org.tcpjmx.model.TcpState;

/**
 * The agent where it may do less than usual, end to end through its own HTTP: a target JVM without
 * CAP_NET_ADMIN (user nobody, no capabilities), a JVM where JNA cannot call native code (its library
 * unloadable, or JDK 25's {@code --illegal-native-access=deny}), and a JVM in a network namespace of
 * its own. Each says what it can do in {@code org.tcpjmx:type=Agent}, answers every request with a
 * clear result, and the application keeps serving with no exception escaping to it. The only
 * connections dropped are ones this test opened to the demo server.
 */
class RestrictedEnvironmentsIT {
    private static final String AGENT = "org.tcpjmx:type=Agent";
    private static final String CONNECTIONS = "org.tcpjmx:type=Connections";
    private static final String DROP = "org.tcpjmx:type=Drop";

    @Test
    void withoutCapNetAdminTheTargetDropsItsOwnConnectionsAndIsDeniedOthers() throws Exception {
        Optional<String> unavailable = UnprivilegedJvm.unavailableReason();
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        try (UnprivilegedJvm.WorldReadableCopy copy = UnprivilegedJvm.WorldReadableCopy.of(
                List.of(Paths.get(JvmProcess.agentJar()), Paths.get(JvmProcess.demoClassPath())));
             OwnConnections others = OwnConnections.open(1);
             JvmProcess demo = JvmProcess.start(unprivileged(copy))) {
            int demoPort = demo.awaitReady();
            String url = Targets.url(demo);
            Map<?, ?> agent = (Map<?, ?>) Http.get(url + "read/" + AGENT).value();
            assertEquals(Boolean.FALSE, agent.get("CapNetAdmin"), agent.toString());
            assertEquals(Boolean.FALSE, agent.get("CanDropOthersSockets"), agent.toString());
            assertEquals("netlink", agent.get("Backend"), agent.toString());
            assertTrue(List.of(capabilities(agent)).toString().contains("only this JVM's own sockets can be dropped"),
                    agent.toString());
            List<String> before = others.snapshot();

            // A connection of the demo's own: reset through its descriptor, no privilege needed.
            try (Socket mine = new Socket(InetAddress.getByName("127.0.0.1"), demoPort)) {
                BufferedReader echo = echo(mine, "hello");
                Answer drop = Http.post(url, Http.exec(DROP, "dropSpec", "127.0.0.1:" + demoPort + " 127.0.0.1:" + mine.getLocalPort()));
                assertEquals(200, drop.jolokiaStatus(), drop.body());
                assertEquals(1L, number(drop, "dropped"), drop.body());
                assertReset(mine, echo);
            }

            // Another process's connection (this test JVM's, root's): permission denied, nothing cut.
            Answer one = Http.post(url, Http.exec(DROP, "drop", "127.0.0.1", others.clientPort(0), "127.0.0.1", others.listenerPort()));
            assertEquals(200, one.jolokiaStatus(), one.body());
            assertEquals(0L, number(one, "dropped"), one.body());
            assertEquals(List.of("PERMISSION_DENIED"), statuses(one), one.body());
            assertTrue(one.body().contains("needs CAP_NET_ADMIN"), one.body());
            Answer bulk = Http.post(url, Http.exec(DROP, "dropMatching", others.filter(), false));
            assertEquals(200, bulk.jolokiaStatus(), bulk.body());
            assertEquals(0L, number(bulk, "dropped"), bulk.body());
            assertEquals(List.of("PERMISSION_DENIED", "PERMISSION_DENIED"), statuses(bulk), "both ends, the listener skipped: " + bulk.body());

            assertEquals(before, others.snapshot(), "nothing else changed");
            others.assertAlive();
            Targets.assertServes(demoPort);
            demo.awaitErr(l -> l.contains("[ESTABLISHED]: PERMISSION_DENIED"), 5);
            Targets.assertNoStackTrace(demo);
        }
    }

    /** {@code setpriv} to nobody:nogroup, no groups, no capabilities, then the demo with the agent. */
    private static List<String> unprivileged(UnprivilegedJvm.WorldReadableCopy copy) {
        List<String> java = new ArrayList<>(List.of(JvmProcess.java(), "-Djava.io.tmpdir=" + copy.tmp(),
                "-javaagent:" + copy.entries().get(0) + "=port=0", "-cp", copy.entries().get(1).toString(), "org.tcpjmx.examples.DemoServer"));
        java.addAll(Targets.quietDemo());
        return UnprivilegedJvm.asNobody(java);
    }

    /**
     * {@code jna}: JDK 17 with JNA's native library made unloadable; {@code deny}: JDK 25 refusing
     * native access. Either way the agent reads /proc, says why, and cannot drop even the JVM's own
     * connections (that needs a native connect()), which it reports instead of failing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jna", "deny"})
    void withoutNativeCallsTheAgentReadsProcSaysWhyAndReportsDropsAsUnsupported(String how) throws Exception {
        String java;
        List<String> options;
        if (how.equals("jna")) {
            java = JvmProcess.java();
            options = List.of("-Djna.nosys=true", "-Djna.noclasspath=true", "-Djna.nounpack=true", "-Djna.boot.library.path=/nonexistent");
        } else {
            Optional<Jdks.Found> jdk = Jdks.atLeast(24);
            assumeTrue(jdk.isPresent(), "--illegal-native-access needs JDK 24+: " + Jdks.whyNone(24));
            java = jdk.get().java().toString();
            options = List.of("--illegal-native-access=deny");
        }
        List<String> jvm = new ArrayList<>(options);
        jvm.add(Targets.javaagent("port=0"));
        try (JvmProcess demo = JvmProcess.demo(java, jvm, Targets.quietDemo().toArray(new String[0]))) {
            int demoPort = demo.awaitReady();
            String url = Targets.url(demo);
            Map<?, ?> agent = (Map<?, ?>) Http.get(url + "read/" + AGENT).value();
            assertEquals("procfs", agent.get("Backend"), agent.toString());
            String why = (String) agent.get("BackendDetail");
            assertTrue(why.contains(how.equals("jna") ? "Unable to locate JNA native support library" : "--illegal-native-access=deny"), why);
            assertEquals(Boolean.FALSE, agent.get("CanDropOthersSockets"), agent.toString());
            assertTrue(List.of(capabilities(agent)).toString().contains("no socket can be dropped, not even this JVM's own"),
                    agent.toString());

            Answer rows = Http.post(url, Http.exec(CONNECTIONS, "query", "src 127.0.0.1:" + demoPort, 0));
            assertEquals(200, rows.jolokiaStatus(), rows.body());
            assertTrue(((List<?>) rows.value()).stream().map(r -> (Map<?, ?>) r)
                    .anyMatch(r -> "LISTEN".equals(r.get("state")) && "PROCFS".equals(r.get("backend")) && Boolean.TRUE.equals(r.get("owned"))),
                    rows.body());

            try (Socket mine = new Socket(InetAddress.getByName("127.0.0.1"), demoPort)) {
                BufferedReader echo = echo(mine, "hello");
                Answer drop = Http.post(url, Http.exec(DROP, "dropSpec", "127.0.0.1:" + demoPort + " 127.0.0.1:" + mine.getLocalPort()));
                assertEquals(200, drop.jolokiaStatus(), "a report, not a server error: " + drop.body());
                assertEquals(List.of("UNSUPPORTED"), statuses(drop), drop.body());
                assertTrue(drop.body().contains("cannot make native calls"), drop.body());
                Answer bulk = Http.post(url, Http.exec(DROP, "dropMatching", "src 127.0.0.1:" + demoPort + " and dst 127.0.0.1:" + mine.getLocalPort(), false));
                assertEquals(200, bulk.jolokiaStatus(), "a bulk drop reports the same: " + bulk.body());
                assertEquals(List.of("UNSUPPORTED"), statuses(bulk), bulk.body());
                mine.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("still here", echo.readLine(), "the connection was not touched");
            }
            Targets.assertServes(demoPort);
            Targets.assertNoStackTrace(demo);
        }
    }

    @Test
    void inANetworkNamespaceOfItsOwnTheTableOverJolokiaIsThatNamespacesAsSsShowsIt() throws Exception {
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/unshare")) && Files.isExecutable(Paths.get("/usr/bin/nsenter")),
                "unshare(1) and nsenter(1) are needed");
        AgentCli.Result probe = AgentCli.exec(List.of("unshare", "--net", "true"), Map.of());
        assumeTrue(probe.status() == 0, "cannot create a network namespace here (needs CAP_SYS_ADMIN): " + probe);

        List<String> cmd = new ArrayList<>(List.of("unshare", "--net", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh",
                JvmProcess.java(), Targets.javaagent("port=0"), "-cp", JvmProcess.demoClassPath(), "org.tcpjmx.examples.DemoServer",
                "--port", "0", "--clients", "2", "--idle", "1"));
        try (ServerSocket hostOnly = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
             JvmProcess demo = JvmProcess.start(cmd)) {
            int demoPort = demo.awaitReady();
            String url = Targets.url(demo);
            int jolokiaPort = java.net.URI.create(url).getPort();
            // The namespace's loopback is not the host's: only a client inside it reaches the agent.
            AgentCli.Result table = AgentCli.exec(List.of("nsenter", "-t", demo.pid(), "-n", JvmProcess.java(), "-jar",
                    JvmProcess.agentJar(), "table", "--json", "--url", url), Map.of());
            assertEquals(0, table.status(), table.toString());
            AgentCli.Result ss = AgentCli.exec(List.of("nsenter", "-t", demo.pid(), "-n", "ss", "-tanH"), Map.of());
            assertEquals(0, ss.status(), ss.toString());

            Set<String> fromAgent = new TreeSet<>();
            for (Object o : (List<?>) new JSONParser().parse(table.out())) {
                Map<?, ?> row = (Map<?, ?>) o;
                fromAgent.add(row.get("state") + " " + row.get("localPort") + " " + row.get("remotePort"));
            }
            Set<String> fromSs = new TreeSet<>();
            for (String line : ss.out().lines().filter(l -> !l.isBlank()).toList()) {
                String[] f = line.trim().split("\\s+");
                fromSs.add(TcpState.parse(f[0]).name() + " " + port(f[3]) + " " + port(f[4]));
            }
            // The command line's own connection to the agent comes and goes between the two reads.
            String listener = "LISTEN " + jolokiaPort + " 0";
            assertTrue(fromAgent.contains(listener), fromAgent.toString());
            fromAgent.removeIf(r -> r.contains(" " + jolokiaPort) && !r.equals(listener));
            fromSs.removeIf(r -> r.contains(" " + jolokiaPort) && !r.equals(listener));
            assertEquals(fromSs, fromAgent, "the agent's table is ss's table inside the namespace");
            assertEquals(2 + 2 * 3, fromAgent.size(), "two listeners and both ends of three demo connections: " + fromAgent);
            assertTrue(fromAgent.contains("LISTEN " + demoPort + " 0"), fromAgent.toString());
            assertFalse(fromAgent.stream().anyMatch(r -> r.contains(" " + hostOnly.getLocalPort() + " ")),
                    "the host's listener is not in the namespace's table: " + fromAgent);
            assertThrows(AssertionError.class, () -> Http.get(url + "version"),
                    "from the host, the namespace's loopback address is someone else's");
            Targets.assertNoStackTrace(demo);
        }
    }

    private static String port(String endpoint) {
        String p = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        return p.equals("*") ? "0" : p;
    }

    private static Object[] capabilities(Map<?, ?> agent) {
        return ((List<?>) agent.get("Capabilities")).toArray();
    }

    private static BufferedReader echo(Socket s, String line) throws IOException {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        assertEquals(line, in.readLine());
        return in;
    }

    private static void assertReset(Socket s, BufferedReader in) {
        SocketException reset = assertThrows(SocketException.class, () -> {
            s.getOutputStream().write("after\n".getBytes(StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // Drain to the reset.
            }
        });
        assertTrue(reset.getMessage().toLowerCase().contains("reset"), reset.getMessage());
    }

    private static long number(Answer a, String key) {
        return ((Number) ((Map<?, ?>) a.value()).get(key)).longValue();
    }

    private static List<String> statuses(Answer a) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) ((Map<?, ?>) a.value()).get("outcomes")) {
            out.add(String.valueOf(((Map<?, ?>) o).get("status")));
        }
        return out;
    }
}
