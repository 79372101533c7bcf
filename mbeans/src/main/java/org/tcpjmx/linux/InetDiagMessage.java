package org.tcpjmx.linux;

import static org.tcpjmx.linux.LinuxConstants.*;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.tcpjmx.model.Endpoint;
import org.tcpjmx.model.SocketExtras;
import org.tcpjmx.model.SocketMemory;

/**
 * A flyweight view of one {@code struct inet_diag_msg} and its attributes inside a received
 * datagram, so counting sockets allocates nothing per socket. Valid only during the visitor call
 * that receives it. Every offset was bounds-checked by {@link SockDiagParser} before the view is
 * handed out.
 */
public final class InetDiagMessage {
    private ByteBuffer buf;
    private int base;
    private int infoOffset;
    private int infoLength;
    private int congOffset;
    private int congLength;
    private int memOffset;
    private int memLength;
    private long mark;
    private long cgroupId;
    private int tos;
    private int tclass;
    /*
     * One-entry caches across the messages of a dump: the rows of a table repeat a few local
     * addresses (and often remote ones: a load balancer, a database) and one congestion-control
     * name, so a row reuses the previous row's address bytes and name instead of allocating them.
     */
    private Endpoint lastSource;
    private Endpoint lastDestination;
    private byte[] lastCongBytes = new byte[0];
    private String lastCong = "";

    /** Points the view at a message; checks the fixed part and every attribute's length. */
    void reset(ByteBuffer b, int offset, int length) {
        if (length < INET_DIAG_MSG_LEN) {
            throw new MalformedNetlinkException("inet_diag_msg of " + length + " bytes, needs " + INET_DIAG_MSG_LEN);
        }
        this.buf = b;
        this.base = offset;
        infoOffset = infoLength = congOffset = congLength = memOffset = memLength = -1;
        mark = -1;
        cgroupId = 0;
        tos = tclass = -1;
        int family = family();
        if (family != AF_INET && family != AF_INET6) {
            throw new MalformedNetlinkException("inet_diag_msg with address family " + family + " at offset " + offset);
        }
        int a = offset + INET_DIAG_MSG_LEN;
        int end = offset + length;
        while (end - a >= 4) {
            int rtaLen = b.getShort(a) & 0xffff;
            int rtaType = b.getShort(a + 2) & 0xffff;
            if (rtaLen < 4 || rtaLen > end - a) {
                throw new MalformedNetlinkException("attribute type " + rtaType + " claims " + rtaLen
                        + " bytes where " + (end - a) + " remain in the message");
            }
            // The top bits of rta_type are NLA_F_NESTED / NLA_F_NET_BYTEORDER flags.
            switch (rtaType & 0x3fff) {
                case INET_DIAG_INFO:
                    infoOffset = a + 4;
                    infoLength = rtaLen - 4;
                    break;
                case INET_DIAG_CONG:
                    congOffset = a + 4;
                    congLength = rtaLen - 4;
                    break;
                case INET_DIAG_SKMEMINFO:
                    memOffset = a + 4;
                    memLength = rtaLen - 4;
                    break;
                case INET_DIAG_MARK:
                    if (rtaLen >= 8) {
                        mark = b.getInt(a + 4) & 0xffffffffL;
                    }
                    break;
                case INET_DIAG_CGROUP_ID:
                    if (rtaLen >= 12) {
                        cgroupId = b.getLong(a + 4);
                    }
                    break;
                case INET_DIAG_TOS:
                    if (rtaLen >= 5) {
                        tos = b.get(a + 4) & 0xff;
                    }
                    break;
                case INET_DIAG_TCLASS:
                    if (rtaLen >= 5) {
                        tclass = b.get(a + 4) & 0xff;
                    }
                    break;
                default:
                    break;
            }
            a += (rtaLen + 3) & ~3;
        }
    }

    public int family() {
        return buf.get(base + MSG_FAMILY) & 0xff;
    }

    /** The Linux state number. */
    public int state() {
        return buf.get(base + MSG_STATE) & 0xff;
    }

    public int timer() {
        return buf.get(base + MSG_TIMER) & 0xff;
    }

    public int retrans() {
        return buf.get(base + MSG_RETRANS) & 0xff;
    }

    public int sport() {
        return port(base + MSG_ID + SOCKID_SPORT);
    }

    public int dport() {
        return port(base + MSG_ID + SOCKID_DPORT);
    }

    /** Copies the source address: 4 bytes for AF_INET, 16 for AF_INET6. */
    public byte[] src() {
        return address(base + MSG_ID + SOCKID_SRC);
    }

    public byte[] dst() {
        return address(base + MSG_ID + SOCKID_DST);
    }

    /** The source address and port, sharing the address bytes with the previous message's when equal. */
    public Endpoint source() {
        Endpoint e = sameAddress(lastSource, base + MSG_ID + SOCKID_SRC) ? lastSource.withPort(sport()) : new Endpoint(src(), sport());
        lastSource = e;
        return e;
    }

    /** The destination address and port, sharing the address bytes with the previous message's when equal. */
    public Endpoint destination() {
        Endpoint e = sameAddress(lastDestination, base + MSG_ID + SOCKID_DST) ? lastDestination.withPort(dport()) : new Endpoint(dst(), dport());
        lastDestination = e;
        return e;
    }

    private boolean sameAddress(Endpoint previous, int at) {
        int n = family() == AF_INET ? 4 : 16;
        if (previous == null || previous.addressLength() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf.get(at + i) != previous.addressByte(i)) {
                return false;
            }
        }
        return true;
    }

    public int ifindex() {
        return buf.getInt(base + MSG_ID + SOCKID_IF);
    }

    /** The 64-bit cookie: the kernel stores it as two host-order u32, low word first. */
    public long cookie() {
        long lo = buf.getInt(base + MSG_ID + SOCKID_COOKIE) & 0xffffffffL;
        long hi = buf.getInt(base + MSG_ID + SOCKID_COOKIE + 4) & 0xffffffffL;
        return lo | (hi << 32);
    }

    public long expires() {
        return buf.getInt(base + MSG_EXPIRES) & 0xffffffffL;
    }

    public long rqueue() {
        return buf.getInt(base + MSG_RQUEUE) & 0xffffffffL;
    }

    public long wqueue() {
        return buf.getInt(base + MSG_WQUEUE) & 0xffffffffL;
    }

    public long uid() {
        return buf.getInt(base + MSG_UID) & 0xffffffffL;
    }

    public long inode() {
        return buf.getInt(base + MSG_INODE) & 0xffffffffL;
    }

    /** The extras ss -e and -m show, from the attributes the kernel sent. */
    public SocketExtras extras() {
        if (mark < 0 && cgroupId == 0 && tos < 0 && tclass < 0 && memOffset < 0) {
            return SocketExtras.NONE;
        }
        return new SocketExtras(mark, cgroupId, tos, tclass, Optional.ofNullable(memory()), false);
    }

    /**
     * {@code INET_DIAG_SKMEMINFO}: u32 SK_MEMINFO_VARS values; a shorter attribute (an older kernel
     * sends fewer) is zero-filled, a longer one's surplus ignored. Null when absent.
     */
    private SocketMemory memory() {
        if (memOffset < 0) {
            return null;
        }
        long[] v = new long[SK_MEMINFO_VARS];
        for (int i = 0; i < SK_MEMINFO_VARS && (i + 1) * 4 <= memLength; i++) {
            v[i] = buf.getInt(memOffset + 4 * i) & 0xffffffffL;
        }
        return new SocketMemory(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }

    /** Whether the message carried an {@code INET_DIAG_INFO} (tcp_info) attribute. */
    public boolean hasInfo() {
        return infoOffset >= 0;
    }

    /** The tcp_info figures, zero-filled past what the kernel gave; only when {@link #hasInfo()}. */
    public org.tcpjmx.model.TcpInfo info() {
        return TcpInfoParser.parse(buf, infoOffset, infoLength);
    }

    /** The congestion-control name, or "" when the message had none. */
    public String congestionControl() {
        if (congOffset < 0) {
            return "";
        }
        int n = 0;
        while (n < congLength && buf.get(congOffset + n) != 0) {
            n++;
        }
        if (n == lastCongBytes.length) {
            int i = 0;
            while (i < n && buf.get(congOffset + i) == lastCongBytes[i]) {
                i++;
            }
            if (i == n) {
                return lastCong;
            }
        }
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = buf.get(congOffset + i);
        }
        lastCongBytes = b;
        lastCong = new String(b, java.nio.charset.StandardCharsets.US_ASCII);
        return lastCong;
    }

    private int port(int at) {
        return ((buf.get(at) & 0xff) << 8) | (buf.get(at + 1) & 0xff);
    }

    private byte[] address(int at) {
        byte[] a = new byte[family() == AF_INET ? 4 : 16];
        for (int i = 0; i < a.length; i++) {
            a[i] = buf.get(at + i);
        }
        return a;
    }
}
