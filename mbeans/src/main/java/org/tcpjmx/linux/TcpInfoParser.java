package org.tcpjmx.linux;

import java.nio.ByteBuffer;
import org.tcpjmx.model.TcpInfo;

/**
 * Reads {@code struct tcp_info} ({@code include/uapi/linux/tcp.h}). The struct grows with the
 * kernel: a field past the length the kernel gave reads as zero, and a longer struct's tail is
 * ignored.
 */
final class TcpInfoParser {
    // Offsets in struct tcp_info.
    static final int CA_STATE = 1;
    static final int RETRANSMITS = 2;
    static final int PROBES = 3;
    static final int BACKOFF = 4;
    static final int RTO = 8;
    static final int SND_MSS = 16;
    static final int RCV_MSS = 20;
    static final int UNACKED = 24;
    static final int LOST = 32;
    static final int RETRANS = 36;
    static final int LAST_DATA_SENT = 44;
    static final int LAST_DATA_RECV = 52;
    static final int LAST_ACK_RECV = 56;
    static final int PMTU = 60;
    static final int RTT = 68;
    static final int RTTVAR = 72;
    static final int SND_SSTHRESH = 76;
    static final int SND_CWND = 80;
    static final int TOTAL_RETRANS = 100;
    static final int PACING_RATE = 104;
    static final int BYTES_ACKED = 120;
    static final int BYTES_RECEIVED = 128;
    static final int SEGS_OUT = 136;
    static final int SEGS_IN = 140;
    static final int NOTSENT_BYTES = 144;
    static final int MIN_RTT = 148;
    static final int DELIVERY_RATE = 160;
    static final int BYTES_SENT = 200;
    static final int BYTES_RETRANS = 208;
    static final int SND_WND = 228;
    static final int RCV_WND = 232;

    private TcpInfoParser() {
    }

    /** Parses {@code length} bytes at {@code offset}; the caller has checked they lie inside {@code b}. */
    static TcpInfo parse(ByteBuffer b, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > b.limit()) {
            throw new MalformedNetlinkException("tcp_info of " + length + " bytes at " + offset + " outside the " + b.limit() + "-byte buffer");
        }
        Fields f = new Fields(b, offset, length);
        return new TcpInfo(
                f.u8(CA_STATE), f.u8(RETRANSMITS), f.u8(PROBES), f.u8(BACKOFF),
                f.u32(RTO), f.u32(SND_MSS), f.u32(RCV_MSS), f.u32(UNACKED), f.u32(LOST), f.u32(RETRANS),
                f.u32(LAST_DATA_SENT), f.u32(LAST_DATA_RECV), f.u32(LAST_ACK_RECV), f.u32(PMTU),
                f.u32(RTT), f.u32(RTTVAR), f.u32(SND_SSTHRESH), f.u32(SND_CWND), f.u32(TOTAL_RETRANS),
                f.u64(PACING_RATE), f.u64(BYTES_ACKED), f.u64(BYTES_RECEIVED), f.u32(SEGS_OUT), f.u32(SEGS_IN),
                f.u32(NOTSENT_BYTES), f.u32(MIN_RTT), f.u64(DELIVERY_RATE), f.u64(BYTES_SENT), f.u64(BYTES_RETRANS),
                f.u32(SND_WND), f.u32(RCV_WND), length);
    }

    /** Field reads that return zero beyond the reported length. */
    private static final class Fields {
        private final ByteBuffer b;
        private final int offset;
        private final int length;

        Fields(ByteBuffer b, int offset, int length) {
            this.b = b;
            this.offset = offset;
            this.length = length;
        }

        int u8(int at) {
            return at + 1 <= length ? b.get(offset + at) & 0xff : 0;
        }

        long u32(int at) {
            return at + 4 <= length ? b.getInt(offset + at) & 0xffffffffL : 0;
        }

        long u64(int at) {
            // An unsigned 64-bit rate beyond Long.MAX_VALUE (the kernel's ~0 "unlimited") saturates.
            if (at + 8 > length) {
                return 0;
            }
            long v = b.getLong(offset + at);
            return v < 0 ? Long.MAX_VALUE : v;
        }
    }
}
