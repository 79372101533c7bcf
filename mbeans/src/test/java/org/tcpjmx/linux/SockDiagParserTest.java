package org.tcpjmx.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpjmx.linux.ProcFdScanner.InodeSet;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpInfo;
import org.tcpjmx.model.TcpState;

/** Hand-made netlink datagrams, whole, truncated and corrupted: a row or a clear exception, never a wrong row. */
class SockDiagParserTest {
    private static final int SEQ = 42;

    /** Builds datagrams the way the kernel lays them out. */
    static final class Datagram {
        private final ByteBuffer b = ByteBuffer.allocate(65536).order(ByteOrder.nativeOrder());

        Datagram socket(int family, int state, int sport, int dport, long cookie, byte[]... attrs) {
            int attrLen = 0;
            for (byte[] a : attrs) {
                attrLen += (a.length + 3) & ~3;
            }
            int len = 16 + 72 + attrLen;
            b.putInt(len).putShort((short) 20).putShort((short) 2).putInt(SEQ).putInt(0);
            b.put((byte) family).put((byte) state).put((byte) 1).put((byte) 0);
            b.put((byte) (sport >> 8)).put((byte) sport).put((byte) (dport >> 8)).put((byte) dport);
            byte[] src = new byte[16];
            byte[] dst = new byte[16];
            if (family == 2) {
                src[0] = 127;
                src[3] = 1;
                dst[0] = 10;
                dst[3] = 9;
            } else {
                src[15] = 1;
                dst[10] = (byte) 0xff;
                dst[11] = (byte) 0xff;
                dst[12] = 127;
                dst[15] = 1;
            }
            b.put(src).put(dst).putInt(3).putInt((int) cookie).putInt((int) (cookie >>> 32));
            b.putInt(1500).putInt(7).putInt(9).putInt(1000).putInt(123456);
            for (byte[] a : attrs) {
                b.put(a);
                for (int i = a.length; i < ((a.length + 3) & ~3); i++) {
                    b.put((byte) 0);
                }
            }
            return this;
        }

        Datagram done(int error) {
            b.putInt(20).putShort((short) 3).putShort((short) 2).putInt(SEQ).putInt(0).putInt(error);
            return this;
        }

        Datagram error(int error) {
            b.putInt(36).putShort((short) 2).putShort((short) 0).putInt(SEQ).putInt(0).putInt(error);
            b.put(new byte[16]);
            return this;
        }

        Datagram raw(byte[] bytes) {
            b.put(bytes);
            return this;
        }

        ByteBuffer buffer() {
            ByteBuffer d = b.duplicate().order(ByteOrder.nativeOrder());
            d.flip();
            return d;
        }

        /** The datagram with its length cut to {@code n} bytes. */
        ByteBuffer truncated(int n) {
            ByteBuffer d = buffer();
            d.limit(n);
            return d;
        }
    }

    static byte[] attr(int type, byte[] payload) {
        ByteBuffer a = ByteBuffer.allocate(4 + payload.length).order(ByteOrder.nativeOrder());
        a.putShort((short) (4 + payload.length)).putShort((short) type).put(payload);
        return a.array();
    }

    static byte[] tcpInfo(int length) {
        ByteBuffer t = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        if (length >= 72) {
            t.putInt(68, 250); // rtt
        }
        if (length >= 84) {
            t.putInt(80, 10); // cwnd
        }
        if (length >= 128) {
            t.putLong(120, 5_000_000_000L); // bytes acked
        }
        if (length >= 168) {
            t.putLong(160, 123_456_789L); // delivery rate
        }
        return t.array();
    }

    private static List<TcpConnection> parse(ByteBuffer datagram) {
        List<TcpConnection> rows = new ArrayList<>();
        new SockDiagParser().parse(datagram, SEQ, m -> rows.add(LinuxTcpPlatform.toRow(m, InodeSet.EMPTY)));
        return rows;
    }

    @Test
    void aWholeDatagramGivesEveryRowWithItsFields() {
        Datagram d = new Datagram()
                .socket(2, 1, 8080, 51000, 0x1_0000_0002L, attr(4, "cubic\0".getBytes()), attr(2, tcpInfo(232)))
                .socket(10, 6, 443, 60000, 7)
                .done(0);
        List<TcpConnection> rows = new ArrayList<>();
        SockDiagParser.Outcome o = new SockDiagParser().parse(d.buffer(), SEQ, m -> rows.add(LinuxTcpPlatform.toRow(m, InodeSet.EMPTY)));
        assertEquals(SockDiagParser.Outcome.DONE, o);
        assertEquals(2, rows.size());
        TcpConnection v4 = rows.get(0);
        assertEquals("127.0.0.1:8080", v4.local().toString());
        assertEquals("10.0.0.9:51000", v4.remote().toString());
        assertEquals(TcpState.ESTABLISHED, v4.state());
        assertEquals(0x1_0000_0002L, v4.cookie());
        assertEquals(3, v4.ifindex());
        assertEquals(7, v4.recvQ());
        assertEquals(9, v4.sendQ());
        assertEquals(1000, v4.uid());
        assertEquals(123456, v4.inode());
        assertEquals("cubic", v4.stack());
        TcpInfo info = v4.info().orElseThrow();
        assertEquals(250, info.rttMicros());
        assertEquals(10, info.sndCwnd());
        assertEquals(5_000_000_000L, info.bytesAcked());
        assertEquals(123_456_789L, info.deliveryRate());
        TcpConnection v6 = rows.get(1);
        assertEquals("[::1]:443", v6.local().toString());
        assertEquals("[::ffff:127.0.0.1]:60000", v6.remote().toString());
        assertEquals(TcpState.TIME_WAIT, v6.state());
        assertEquals("", v6.stack());
        assertTrue(v6.info().isEmpty());
    }

    @Test
    void rowsThatRepeatOrChangeAddressesAndCongestionNamesEachGetTheirOwn() {
        // The flyweight reuses the previous row's address bytes and name when equal: switching
        // family, address and name between rows must still give each row exactly its own fields.
        Datagram d = new Datagram()
                .socket(2, 1, 8080, 51000, 1, attr(4, "cubic\0".getBytes()))
                .socket(2, 1, 8080, 51001, 2, attr(4, "cubic\0".getBytes()))
                .socket(2, 1, 8081, 51002, 3, attr(4, "bbr\0".getBytes()))
                .socket(10, 1, 443, 60000, 4, attr(4, "bbr\0".getBytes()))
                .socket(2, 1, 8080, 51003, 5, attr(4, "dctcp\0".getBytes()))
                .socket(2, 1, 8080, 51004, 6, attr(4, "cubic\0".getBytes()))
                .done(0);
        List<TcpConnection> rows = parse(d.buffer());
        List<String> seen = new ArrayList<>();
        for (TcpConnection c : rows) {
            seen.add(c.local() + " " + c.remote() + " " + c.stack());
        }
        assertEquals(List.of(
                "127.0.0.1:8080 10.0.0.9:51000 cubic",
                "127.0.0.1:8080 10.0.0.9:51001 cubic",
                "127.0.0.1:8081 10.0.0.9:51002 bbr",
                "[::1]:443 [::ffff:127.0.0.1]:60000 bbr",
                "127.0.0.1:8080 10.0.0.9:51003 dctcp",
                "127.0.0.1:8080 10.0.0.9:51004 cubic"), seen);
        assertEquals(rows.get(0).local(), rows.get(1).local());
        assertEquals(org.tcpjmx.model.Endpoint.of("10.0.0.9", 51001), rows.get(1).remote());
        assertEquals(4, rows.get(2).local().address().length);
        assertEquals(16, rows.get(3).local().address().length);
    }

    @Test
    void answersToTheBothFamiliesRequestCarryItsTypeAndAreRowsToo() {
        ByteBuffer d = new Datagram().socket(2, 1, 8080, 51000, 1).socket(10, 1, 443, 60000, 2).done(0).buffer();
        // TCPDIAG_GETSOCK (18) in place of SOCK_DIAG_BY_FAMILY (20) in both socket messages.
        d.putShort(4, (short) 18);
        d.putShort(d.getInt(0) + 4, (short) 18);
        List<TcpConnection> rows = parse(d);
        assertEquals(2, rows.size());
        assertEquals("127.0.0.1:8080", rows.get(0).local().toString());
        assertEquals("[::1]:443", rows.get(1).local().toString());
    }

    @Test
    void anOlderKernelsShorterTcpInfoIsZeroFilledAndANewerLongerOneIsCut() {
        TcpInfo shortInfo = parse(new Datagram().socket(2, 1, 1, 2, 1, attr(2, tcpInfo(104))).buffer()).get(0).info().orElseThrow();
        assertEquals(250, shortInfo.rttMicros());
        assertEquals(0, shortInfo.bytesAcked(), "past the kernel's length: zero");
        assertEquals(104, shortInfo.reportedLength());
        TcpInfo longInfo = parse(new Datagram().socket(2, 1, 1, 2, 1, attr(2, tcpInfo(400))).buffer()).get(0).info().orElseThrow();
        assertEquals(5_000_000_000L, longInfo.bytesAcked());
        assertEquals(400, longInfo.reportedLength());
    }

    @Test
    void newSynRecvIsCountedAsSynRcvd() {
        assertEquals(TcpState.SYN_RCVD, parse(new Datagram().socket(2, 12, 1, 2, 1).buffer()).get(0).state());
    }

    @Test
    void everyTruncationOfAValidDatagramEndsInAClearExceptionOrFewerWholeRows() {
        Datagram d = new Datagram()
                .socket(2, 1, 8080, 51000, 2, attr(4, "bbr\0".getBytes()), attr(2, tcpInfo(232)))
                .socket(10, 1, 443, 60000, 7, attr(4, "cubic\0".getBytes()))
                .done(0);
        int full = d.buffer().limit();
        int[] boundaries = {0};
        for (int n = 0; n < full; n++) {
            List<TcpConnection> rows = new ArrayList<>();
            try {
                SockDiagParser.Outcome o = new SockDiagParser().parse(d.truncated(n), SEQ, m -> rows.add(LinuxTcpPlatform.toRow(m, InodeSet.EMPTY)));
                // Only cuts exactly at a message boundary parse cleanly, and then only whole rows came out.
                assertEquals(SockDiagParser.Outcome.MORE, o);
                assertTrue(rows.size() <= 2);
                boundaries[0]++;
            } catch (MalformedNetlinkException e) {
                assertTrue(e.getMessage().startsWith("malformed netlink answer: "), e.getMessage());
            }
        }
        assertEquals(3, boundaries[0], "cuts at 0 and after each of the two socket messages");
    }

    @Test
    void lengthsThatLieAreCaughtBeforeAnythingIsRead() {
        byte[] hugeLen = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(1 << 20).putShort((short) 20).array();
        MalformedNetlinkException e = assertThrows(MalformedNetlinkException.class, () -> parse(new Datagram().raw(hugeLen).buffer()));
        assertTrue(e.getMessage().contains("nlmsg_len 1048576"), e.getMessage());

        byte[] tinyLen = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(8).putShort((short) 20).array();
        assertThrows(MalformedNetlinkException.class, () -> parse(new Datagram().raw(tinyLen).buffer()));

        byte[] negative = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(-4).putShort((short) 20).array();
        e = assertThrows(MalformedNetlinkException.class, () -> parse(new Datagram().raw(negative).buffer()));
        assertTrue(e.getMessage().contains("4294967292"), "unsigned in the message: " + e.getMessage());

        // A socket message too short for struct inet_diag_msg.
        byte[] shortMsg = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder()).putInt(40).putShort((short) 20).putShort((short) 0).putInt(SEQ).array();
        e = assertThrows(MalformedNetlinkException.class, () -> parse(new Datagram().raw(shortMsg).buffer()));
        assertTrue(e.getMessage().contains("inet_diag_msg of 24 bytes, needs 72"), e.getMessage());
    }

    @Test
    void attributesThatOverrunTheirMessageAreRejected() {
        byte[] liar = attr(2, new byte[8]);
        liar[0] = (byte) 200; // rta_len 200 in an 12-byte attribute
        liar[1] = 0;
        if (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) {
            liar[0] = 0;
            liar[1] = (byte) 200;
        }
        MalformedNetlinkException e = assertThrows(MalformedNetlinkException.class,
                () -> parse(new Datagram().socket(2, 1, 1, 2, 1, liar).buffer()));
        assertTrue(e.getMessage().contains("attribute type 2 claims 200 bytes"), e.getMessage());

        byte[] zero = attr(4, new byte[4]);
        zero[0] = 0;
        zero[1] = 0;
        assertThrows(MalformedNetlinkException.class, () -> parse(new Datagram().socket(2, 1, 1, 2, 1, zero).buffer()));
    }

    @Test
    void unknownFamiliesStatesAndTypesAreErrorsNotRows() {
        MalformedNetlinkException e = assertThrows(MalformedNetlinkException.class, () -> parse(new Datagram().socket(7, 1, 1, 2, 1).buffer()));
        assertTrue(e.getMessage().contains("address family 7"), e.getMessage());
        e = assertThrows(MalformedNetlinkException.class, () -> parse(new Datagram().socket(2, 13, 1, 2, 1).buffer()));
        assertTrue(e.getMessage().contains("unknown state 13"), e.getMessage());
        byte[] odd = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(16).putShort((short) 99).putShort((short) 0).putInt(SEQ).array();
        e = assertThrows(MalformedNetlinkException.class, () -> parse(new Datagram().raw(odd).buffer()));
        assertTrue(e.getMessage().contains("unexpected netlink message type 99"), e.getMessage());
    }

    @Test
    void kernelErrorsBecomeExceptionsNamingTheErrno() {
        NetlinkException e = assertThrows(NetlinkException.class, () -> parse(new Datagram().error(-1).buffer()));
        assertEquals(Errno.EPERM, e.errno());
        assertTrue(e.getMessage().contains("EPERM"), e.getMessage());
        e = assertThrows(NetlinkException.class, () -> parse(new Datagram().done(-2).buffer()));
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
        assertEquals(SockDiagParser.Outcome.ACK, new SockDiagParser().parse(new Datagram().error(0).buffer(), SEQ, m -> { }));
        assertThrows(MalformedNetlinkException.class, () -> parse(new Datagram().error(5).buffer()));
    }

    @Test
    void messagesOfAnotherRequestAreSkipped() {
        ByteBuffer d = new Datagram().socket(2, 1, 1, 2, 1).buffer();
        List<Object> seen = new ArrayList<>();
        assertEquals(SockDiagParser.Outcome.MORE, new SockDiagParser().parse(d, SEQ + 1, seen::add));
        assertFalse(seen.size() > 0);
    }
}
