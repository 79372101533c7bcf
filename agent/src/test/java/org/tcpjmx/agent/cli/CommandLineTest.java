package org.tcpjmx.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jolokia.json.parser.JSONParser;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.AgentEntry;

/** The command line in this JVM, against this host's real table and an agent serving real HTTP. */
class CommandLineTest {

    /** What one run printed and returned. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CommandLine.run(args, "/nonexistent/tcpjmx-agent.jar", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageErrorsExit64AndHelpExits0() {
        Run none = run();
        assertEquals(64, none.status());
        assertTrue(none.err().contains("usage: java -jar tcpjmx-agent.jar COMMAND"), none.err());
        Run unknown = run("atach", "1");
        assertEquals(64, unknown.status());
        assertTrue(unknown.err().contains("unknown command 'atach'"), unknown.err());
        Run help = run("help");
        assertEquals(0, help.status());
        for (String verb : List.of("list", "attach", "detach", "status", "tcpdrop", "rebalance", "table", "states")) {
            assertTrue(help.out().contains("\n  " + verb + " "), verb + " in " + help.out());
        }
        assertEquals(0, run("table", "--help").status());
    }

    @Test
    void attachChecksTheOptionsBeforeTouchingAnyJvm() {
        Run bad = run("attach", "999999999", "port=0,colour=blue");
        assertEquals(64, bad.status());
        assertTrue(bad.err().contains("unknown option 'colour'"), bad.err());
        Run exposed = run("attach", "999999999", "host=0.0.0.0");
        assertEquals(64, exposed.status());
        assertTrue(exposed.err().contains("auth=none"), exposed.err());
        Run noSuchJvm = run("attach", "999999999", "port=0");
        assertEquals(1, noSuchJvm.status());
        assertTrue(noSuchJvm.err().contains("cannot attach to JVM 999999999"), noSuchJvm.err());
        Run noMatch = run("status", "no-such-main-class-anywhere");
        assertEquals(1, noMatch.status());
        assertTrue(noMatch.err().contains("no JVM"), noMatch.err());
        assertEquals(64, run("detach").status());
        assertEquals(64, run("list", "extra").status());
    }

    @Test
    void policyPathsAreMadeAbsoluteForTheTargetJvm() {
        String options = AttachCommand.options(List.of("port=0,readOnly=true", "policy=conf/access.xml"));
        assertTrue(options.startsWith("port=0,readOnly=true,policy=/"), options);
        assertTrue(options.endsWith("/conf/access.xml"), options);
    }

    @Test
    void statesListsEveryStateAndTheTotal() {
        Run r = run("states");
        assertEquals(0, r.status(), r.err());
        for (String s : List.of("CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT_1", "CLOSING",
                "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT", "TOTAL")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(s + " ")), s + " in " + r.out());
        }
        Run json = run("states", "--json", "state", "listening");
        assertEquals(0, json.status(), json.err());
        assertTrue(json.out().contains("\"LISTEN\":"), json.out());
    }

    @Test
    void tableShowsTheSocketsAFilterSelects() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = listener.getLocalPort();
            // A filter given as several arguments, as ss takes it; by address and port, never by port alone.
            Run r = run("table", "src", "127.0.0.1:" + port);
            assertEquals(0, r.status(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(2, lines.size(), r.out());
            assertTrue(lines.get(0).startsWith("State") && lines.get(0).contains("Local Address:Port"), lines.get(0));
            assertTrue(lines.get(1).startsWith("LISTEN") && lines.get(1).contains("127.0.0.1]:" + port), lines.get(1));

            Run json = run("table", "--json", "src 127.0.0.1:" + port);
            assertEquals(0, json.status(), json.err());
            List<?> rows = (List<?>) new JSONParser().parse(json.out());
            assertEquals(1, rows.size(), json.out());
            Map<?, ?> row = (Map<?, ?>) rows.get(0);
            assertEquals((long) port, ((Number) row.get("localPort")).longValue());
            assertEquals("LISTEN", row.get("state"));
            assertTrue(json.out().startsWith("[{\"localAddress\":"), "row fields in contract order: " + json.out());

            Run info = run("table", "-i", "src 127.0.0.1:" + port);
            assertEquals(0, info.status(), info.err());
            assertEquals(3, info.out().lines().count(), info.out());
        }
        Run bad = run("table", "sport", "=", "nonsense(");
        assertEquals(64, bad.status());
        assertTrue(bad.err().contains("filter"), bad.err());
        assertEquals(64, run("table", "--bogus").status());
    }

    @Test
    void tcpdropLocallyDropsAConnectionOfThisJvm() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket served = listener.accept()) {
            Run r = run("tcpdrop", "127.0.0.1", Integer.toString(client.getLocalPort()), "127.0.0.1", Integer.toString(listener.getLocalPort()));
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains(": dropped"), r.out());
            assertReset(served);
        }
        Run usage = run("tcpdrop", "-s", "LISTEN");
        assertEquals(64, usage.status());
    }

    @Test
    void tcpdropTableAndStatesGoThroughARemoteAgent() throws Exception {
        AutoCloseable agent = AgentEntry.start("port=0");
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket served = listener.accept()) {
            String url = System.getProperty("tcpjmx.agent.url");
            int port = listener.getLocalPort();
            assertTrue(served.isConnected());
            Run table = run("table", "--url", url, "src 127.0.0.1:" + port);
            assertEquals(0, table.status(), table.err());
            assertTrue(table.out().contains("ESTAB") && table.out().contains("LISTEN"), table.out());
            Run limited = run("table", "--url", url, "--limit", "1", "src 127.0.0.1:" + port);
            assertEquals(0, limited.status(), limited.err());
            assertEquals(2, limited.out().lines().count(), "header and one row: " + limited.out());
            assertTrue(limited.err().contains("the first 1 rows"), limited.err());
            assertEquals(64, run("table", "--url", url, "--limit", "-3").status());
            Run states = run("states", "--url", url, "src 127.0.0.1:" + port);
            assertEquals(0, states.status(), states.err());
            assertTrue(states.out().contains("ESTABLISHED  1"), states.out());

            assertEquals(64, run("tcpdrop", "--url", url, "-l", "127.0.0.1", "1", "127.0.0.1", "2").status());
            assertEquals(64, run("tcpdrop", "--url", url, "-s", "LISTEN").status());
            Run drop = run("tcpdrop", "--url", url, "127.0.0.1:" + port, "127.0.0.1:" + client.getLocalPort());
            assertEquals(0, drop.status(), drop.out() + drop.err());
            // Java's sockets are dual-stack: the kernel names them ::ffff:127.0.0.1.
            assertTrue(drop.out().matches("(?s)(::ffff:)?127\\.0\\.0\\.1 " + port + " (::ffff:)?127\\.0\\.0\\.1 " + client.getLocalPort()
                    + ": dropped\n"), drop.out());
            assertReset(client);
            Run gone = run("tcpdrop", "--url", url, "127.0.0.1:" + port, "127.0.0.1:" + client.getLocalPort());
            assertEquals(1, gone.status(), gone.out() + gone.err());
            assertTrue(gone.err().startsWith("tcpdrop: "), gone.out() + "|" + gone.err());
        } finally {
            agent.close();
        }
        Run unreachable = run("states", "--url", "http://127.0.0.1:1/jolokia/");
        assertEquals(1, unreachable.status());
        assertTrue(unreachable.err().contains("cannot reach"), unreachable.err());
        assertEquals(64, run("states", "--url", "ftp://x/").status());
        assertEquals(64, run("states", "--url", "http://127.0.0.1:1/jolokia/", "--user", "ops").status(),
                "a user without password (TCPJMX_PASSWORD unset in tests)");
    }

    @Test
    void aReadOnlyAgentRefusesRemoteDrops() throws Exception {
        AutoCloseable agent = AgentEntry.start("port=0,readOnly=true");
        try {
            Run r = run("tcpdrop", "--url", System.getProperty("tcpjmx.agent.url"), "127.0.0.1", "1", "127.0.0.1", "2");
            assertEquals(1, r.status());
            assertTrue(r.err().contains("403"), r.err());
        } finally {
            agent.close();
        }
        assertThrows(IllegalArgumentException.class, () -> AgentEntry.start("port=0,bogus=1"));
        assertTrue(ManagementFactory.getPlatformMBeanServer().queryNames(new javax.management.ObjectName("org.tcpjmx:*"), null).isEmpty());
    }

    static void assertReset(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        SocketException e = assertThrows(SocketException.class, () -> {
            while (in.read() >= 0) {
                // Drain until the reset surfaces.
            }
        });
        assertTrue(e.getMessage().toLowerCase().contains("reset") || e.getMessage().toLowerCase().contains("abort"), e.getMessage());
    }
}
