package org.tcpjmx.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcNetSnmpReaderTest {
    private static final String SNMP = String.join("\n",
            "Ip: Forwarding DefaultTTL",
            "Ip: 1 64",
            "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens CurrEstab",
            "Tcp: 1 200 120000 -1 118 3",
            "Udp: InDatagrams",
            "Udp: 5",
            "");
    private static final String NETSTAT = String.join("\n",
            "TcpExt: SyncookiesSent ListenOverflows SomethingFromAFutureKernel",
            "TcpExt: 0 7 18446744073709551615",
            "IpExt: InNoRoutes",
            "IpExt: 0",
            "");

    @Test
    void countersAreNamedAsNstatNamesThemAndNewColumnsAreKept(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("snmp"), SNMP);
        Files.writeString(dir.resolve("netstat"), NETSTAT);
        Map<String, Long> c = new ProcNetSnmpReader(dir).tcpCounters();
        assertEquals(List.of("TcpRtoAlgorithm", "TcpRtoMin", "TcpRtoMax", "TcpMaxConn", "TcpActiveOpens", "TcpCurrEstab",
                "TcpExtSyncookiesSent", "TcpExtListenOverflows", "TcpExtSomethingFromAFutureKernel"), List.copyOf(c.keySet()));
        assertEquals(-1L, c.get("TcpMaxConn"));
        assertEquals(118L, c.get("TcpActiveOpens"));
        assertEquals(7L, c.get("TcpExtListenOverflows"));
        // An unsigned 64-bit counter past Long.MAX_VALUE keeps its bits.
        assertEquals(Long.parseUnsignedLong("18446744073709551615"), c.get("TcpExtSomethingFromAFutureKernel"));
    }

    @Test
    void aMissingNetstatFileGivesTheTcpSectionOnly(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("snmp"), SNMP);
        Map<String, Long> c = new ProcNetSnmpReader(dir).tcpCounters();
        assertEquals(6, c.size());
        assertFalse(c.keySet().stream().anyMatch(n -> n.startsWith("TcpExt")));
    }

    @Test
    void aHeaderWithoutItsValueLineIsRefusedNamingFileAndLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("snmp"), "Ip: Forwarding\nIp: 1\nTcp: RtoAlgorithm ActiveOpens\nUdp: InDatagrams\nUdp: 5\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ProcNetSnmpReader(dir).tcpCounters());
        assertTrue(e.getMessage().contains(dir.resolve("snmp") + " line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("no 'Tcp:' value line"), e.getMessage());
    }

    @Test
    void aHeaderAtTheEndOfTheFileIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProcNetSnmpReader.parseSection("snmp", List.of("Tcp: A B"), "Tcp", new java.util.HashMap<>()));
        assertTrue(e.getMessage().contains("snmp line 1"), e.getMessage());
    }

    @Test
    void headerAndValueLinesOfDifferentLengthsAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProcNetSnmpReader.parseSection("netstat",
                List.of("TcpExt: A B C", "TcpExt: 1 2"), "TcpExt", new java.util.HashMap<>()));
        assertTrue(e.getMessage().contains("names 3 columns but the value line on line 2 has 2"), e.getMessage());
    }

    @Test
    void aValueThatIsNotANumberIsRefusedNamingTheCounter() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProcNetSnmpReader.parseSection("netstat",
                List.of("TcpExt: A B", "TcpExt: 1 x2"), "TcpExt", new java.util.HashMap<>()));
        assertTrue(e.getMessage().contains("TcpExtB") && e.getMessage().contains("'x2'"), e.getMessage());
    }

    @Test
    void theTcpSectionIsNotConfusedWithTcpExt() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        ProcNetSnmpReader.parseSection("netstat", List.of("TcpExt: A", "TcpExt: 1"), "Tcp", out);
        assertTrue(out.isEmpty(), out.toString());
    }

    @Test
    void theRealKernelCountersHaveNstatsNamesAndCountOurConnections() throws Exception {
        ProcNetSnmpReader reader = new ProcNetSnmpReader();
        long before = reader.tcpCounters().get("TcpActiveOpens");
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
             Socket server = listener.accept()) {
            assertTrue(client.isConnected() && server.isConnected());
        }
        Map<String, Long> after = reader.tcpCounters();
        assertTrue(after.get("TcpActiveOpens") >= before + 1, "connect() counts as an active open: " + before + " -> "
                + after.get("TcpActiveOpens"));
        assertTrue(after.containsKey("TcpExtListenOverflows"), after.keySet().toString());

        // nstat prints the same names, except the constants and the one gauge it leaves out.
        Process p = new ProcessBuilder("nstat", "-a", "-z", "-s").redirectErrorStream(true).start();
        Set<String> nstat = new TreeSet<>();
        for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String name = line.split("\\s+")[0];
            if (name.startsWith("Tcp")) {
                nstat.add(name);
            }
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "nstat failed");
        assertFalse(nstat.isEmpty());
        Set<String> ours = new TreeSet<>(after.keySet());
        assertTrue(ours.containsAll(nstat), "missing: " + minus(nstat, ours));
        assertEquals(Set.of("TcpRtoAlgorithm", "TcpRtoMin", "TcpRtoMax", "TcpMaxConn", "TcpCurrEstab"), minus(ours, nstat));
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }
}
