package org.tcpjmx.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.model.Tunable;
import org.tcpjmx.model.TunableValue;

class TcpSysctlReaderTest {

    private static Tunable tunable(String attribute) {
        return TcpSysctlReader.tunables().stream().filter(t -> t.attribute().equals(attribute)).findFirst().orElseThrow();
    }

    @Test
    void everyTunableReadsWhatSysctlPrints() throws Exception {
        List<TunableValue> all = new TcpSysctlReader().readAll();
        assertTrue(all.size() >= 25, "this kernel has most of the mapped files: " + all.size());
        for (TunableValue s : all) {
            Tunable t = s.tunable();
            String key = t.linuxPath().substring("/proc/sys/".length()).replace('/', '.');
            Process p = new ProcessBuilder("sysctl", "-n", key).start();
            String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "sysctl -n " + key);
            String[] fields = printed.split("\\s+");
            String expected = t.field() == 0 ? String.join(" ", fields) : fields[t.field() - 1];
            assertEquals(expected, s.value(), t.attribute() + " (" + key + ")");
            if (t.kind() == Tunable.Kind.NUMBER) {
                assertTrue(s.number().isPresent(), t.attribute() + " is a number: " + s.value());
            }
        }
    }

    @Test
    void bufferSizesTakeOneFieldOfTheTripleAndNamesTheWholeLine(@TempDir Path root) throws IOException {
        Path ipv4 = Files.createDirectories(root.resolve("net/ipv4"));
        Files.writeString(ipv4.resolve("tcp_wmem"), "4096\t16384\t4194304\n");
        Files.writeString(ipv4.resolve("tcp_available_congestion_control"), "reno  cubic bbr\n");
        TcpSysctlReader reader = new TcpSysctlReader(root);
        assertEquals("16384", reader.read(tunable("SendSpace")).orElseThrow().value());
        assertEquals(4194304L, reader.read(tunable("SendBufMax")).orElseThrow().number().getAsLong());
        TunableValue available = reader.read(tunable("CongestionControlAvailable")).orElseThrow();
        assertEquals("reno cubic bbr", available.value());
        assertFalse(available.number().isPresent(), "a TEXT tunable is never a number");
    }

    @Test
    void aMissingFileIsAbsentNotAnError(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("net/ipv4"));
        Files.writeString(root.resolve("net/ipv4/tcp_keepalive_time"), "7200\n");
        TcpSysctlReader reader = new TcpSysctlReader(root);
        assertEquals(Optional.empty(), reader.read(tunable("KeepInterval")));
        List<TunableValue> all = reader.readAll();
        assertEquals(1, all.size());
        assertEquals("KeepIdle", all.get(0).tunable().attribute());
        assertEquals(7200L, all.get(0).number().getAsLong());
    }

    @Test
    void aFileWithTooFewFieldsIsRefusedNamingIt(@TempDir Path root) throws IOException {
        Path ipv4 = Files.createDirectories(root.resolve("net/ipv4"));
        Files.writeString(ipv4.resolve("tcp_rmem"), "4096 131072\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TcpSysctlReader(root).read(tunable("RecvBufMax")));
        assertTrue(e.getMessage().contains("tcp_rmem") && e.getMessage().contains("field 3"), e.getMessage());
    }

    @Test
    void attributeNamesAreUniqueJavaIdentifiersAndPathsAreUnderProcSys() {
        Set<String> seen = new HashSet<>();
        for (Tunable t : TcpSysctlReader.tunables()) {
            assertTrue(seen.add(t.attribute()), "duplicate " + t.attribute());
            assertTrue(t.attribute().matches("[A-Z][A-Za-z0-9]*"), t.attribute());
            assertTrue(t.linuxPath().startsWith("/proc/sys/net/"), t.linuxPath());
            assertFalse(t.description().contains("|"), "the docs table cannot hold '|': " + t.attribute());
        }
    }
}
