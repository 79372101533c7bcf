package org.tcpjmx.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.model.TcpSocketCounters;

/** /proc/net/sockstat and sockstat6 as a 6.18 kernel prints them, read from copies. */
class ProcNetSockstatReaderTest {
    @TempDir
    Path dir;

    private static final String SOCKSTAT = "sockets: used 310\n"
            + "TCP: inuse 27 orphan 2 tw 41 alloc 35 mem 127\n"
            + "UDP: inuse 3 mem 2\n"
            + "UDPLITE: inuse 0\n"
            + "RAW: inuse 0\n"
            + "FRAG: inuse 0 memory 0\n";
    private static final String SOCKSTAT6 = "TCP6: inuse 9\nUDP6: inuse 1\nUDPLITE6: inuse 0\nRAW6: inuse 0\nFRAG6: inuse 0 memory 0\n";

    @Test
    void theTcpLinesOfBothFiles() throws Exception {
        write("sockstat", SOCKSTAT);
        write("sockstat6", SOCKSTAT6);
        TcpSocketCounters c = new ProcNetSockstatReader(dir).read().orElseThrow();
        assertEquals(new TcpSocketCounters(27, 9, 41, 2, 35, 127), c);
        assertEquals(27 + 9 + 41, c.sockets(), "hashed sockets of both families and timewait entries");
    }

    @Test
    void aKernelWithoutIpv6HasNoSockstat6AndNoIpv6Sockets() throws Exception {
        write("sockstat", SOCKSTAT);
        assertEquals(0, new ProcNetSockstatReader(dir).read().orElseThrow().inUseIpv6());
    }

    @Test
    void withoutProcfsThereAreNoCounters() {
        assertTrue(new ProcNetSockstatReader(dir).read().isEmpty());
    }

    @Test
    void aPairTheKernelAddsLaterIsSkipped() throws Exception {
        write("sockstat", "TCP: inuse 1 orphan 0 tw 0 alloc 4 mem 1 future 7\n");
        assertEquals(new TcpSocketCounters(1, 0, 0, 0, 4, 1), new ProcNetSockstatReader(dir).read().orElseThrow());
    }

    @Test
    void malformedLinesAreNamed() throws Exception {
        write("sockstat", "TCP: inuse 1 orphan x tw 0 alloc 4 mem 1\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ProcNetSockstatReader(dir).read());
        assertTrue(e.getMessage().contains("sockstat line 1") && e.getMessage().contains("'orphan'") && e.getMessage().contains("'x'"),
                e.getMessage());

        write("sockstat", "TCP: inuse 1 orphan 0 tw\n");
        e = assertThrows(IllegalStateException.class, () -> new ProcNetSockstatReader(dir).read());
        assertTrue(e.getMessage().contains("name/number pairs"), e.getMessage());

        write("sockstat", "TCP: inuse 1 orphan 0 alloc 4 mem 1\n");
        e = assertThrows(IllegalStateException.class, () -> new ProcNetSockstatReader(dir).read());
        assertTrue(e.getMessage().contains("no 'tw'"), e.getMessage());

        write("sockstat", "UDP: inuse 1 mem 0\n");
        e = assertThrows(IllegalStateException.class, () -> new ProcNetSockstatReader(dir).read());
        assertTrue(e.getMessage().contains("no 'TCP:' line"), e.getMessage());
    }

    private void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }
}
