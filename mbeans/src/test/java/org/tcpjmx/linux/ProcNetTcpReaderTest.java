package org.tcpjmx.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.SocketTimer;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

/** The /proc/net/tcp fallback reads the kernel's format, and refuses lines that are not in it. */
class ProcNetTcpReaderTest {
    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    @Test
    void readsIpv4AndIpv6LinesWithQueuesTimersAndInodes(@TempDir Path dir) throws Exception {
        String v4 = LITTLE ? "0100007F:1F90 0900000A:C738" : "7F000001:1F90 0A000009:C738";
        Files.writeString(dir.resolve("tcp"), HEADER + "\n"
                + "   0: " + v4 + " 01 00000010:00000020 02:0000012C 00000003  1000        0 4242 1 0000000000000000 20 4 30 10 -1\n"
                + "   1: " + v4.replace("1F90", "0016") + " 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n");
        String v6 = LITTLE ? "00000000000000000000000001000000:01BB 0000000000000000FFFF00000100007F:EA60"
                : "00000000000000000000000000000001:01BB 00000000000000000000FFFF7F000001:EA60";
        Files.writeString(dir.resolve("tcp6"), HEADER + "\n"
                + "   0: " + v6 + " 0A 00000000:00000005 00:00000000 00000000     0        0 99 1 0000000000000000\n");
        ProcNetTcpReader r = new ProcNetTcpReader(dir);
        List<TcpConnection> rows = new ArrayList<>();
        r.read(IpFamily.INET4, LinuxConstants.ALL_STATES_MASK, rows::add);
        r.read(IpFamily.INET6, LinuxConstants.ALL_STATES_MASK, rows::add);
        assertEquals(3, rows.size());
        TcpConnection est = rows.get(0);
        assertEquals("127.0.0.1:8080", est.local().toString());
        assertEquals("10.0.0.9:51000", est.remote().toString());
        assertEquals(TcpState.ESTABLISHED, est.state());
        assertEquals(0x20, est.recvQ());
        assertEquals(0x10, est.sendQ());
        assertEquals(SocketTimer.KEEPALIVE, est.timer());
        assertEquals(3000, est.timerExpiresMillis(), "USER_HZ ticks to milliseconds");
        assertEquals(1000, est.uid());
        assertEquals(4242, est.inode());
        assertEquals(TcpState.TIME_WAIT, rows.get(1).state());
        assertEquals(22, rows.get(1).local().port());
        TcpConnection listen = rows.get(2);
        assertEquals("[::1]:443", listen.local().toString());
        assertEquals("[::ffff:127.0.0.1]:60000", listen.remote().toString());
        assertEquals(TcpState.LISTEN, listen.state());
        assertTrue(!listen.hasCookie() && listen.info().isEmpty() && listen.stack().isEmpty());

        List<TcpConnection> onlyTw = new ArrayList<>();
        r.read(IpFamily.INET4, TcpState.TIME_WAIT.linuxMask(), onlyTw::add);
        assertEquals(1, onlyTw.size());
    }

    @Test
    void aMissingTcp6FileIsAnEmptyTable(@TempDir Path dir) {
        List<TcpConnection> rows = new ArrayList<>();
        new ProcNetTcpReader(dir).read(IpFamily.INET6, LinuxConstants.ALL_STATES_MASK, rows::add);
        assertTrue(rows.isEmpty());
    }

    @Test
    void malformedLinesNameTheFileLineAndField() {
        Path f = Path.of("/proc/net/tcp");
        String good = "   0: 0100007F:1F90 0900000A:C738 01 00000010:00000020 02:0000012C 00000003  1000        0 4242";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcNetTcpReader.parseLine(IpFamily.INET4, "0: 0100007F:1F90", -1, f, 7));
        assertTrue(e.getMessage().contains("/proc/net/tcp line 7 has 2 fields"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ProcNetTcpReader.parseLine(IpFamily.INET4, good.replace(" 01 ", " 0F "), -1, f, 2));
        assertTrue(e.getMessage().contains("unknown state 0F"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ProcNetTcpReader.parseLine(IpFamily.INET4, good.replace("0100007F:1F90", "0100007F1F90"), -1, f, 2));
        assertTrue(e.getMessage().contains("expected 8 hex digits"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ProcNetTcpReader.parseLine(IpFamily.INET4, good.replace("4242", "x42"), -1, f, 2));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ProcNetTcpReader.parseLine(IpFamily.INET4, good.replace("00000010:00000020", "0000001000000020"), -1, f, 2));
        assertTrue(e.getMessage().contains("two numbers joined by ':'"), e.getMessage());
        assertNull(ProcNetTcpReader.parseLine(IpFamily.INET4, good, TcpState.LISTEN.linuxMask(), f, 2), "outside the state mask");
    }
}
