package org.tcpjmx.linux;

import static org.tcpjmx.linux.LinuxConstants.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds {@code inet_diag_req_v2} messages: dumps, single-socket lookups and SOCK_DESTROY. */
final class SockDiagRequest {
    private SockDiagRequest() {
    }

    /** A dump of every TCP socket of {@code family} in {@code stateMask}, with optional kernel bytecode. */
    static ByteBuffer dump(int family, int stateMask, int ext, byte[] bytecode, int sequence) {
        int bcAttr = bytecode == null || bytecode.length == 0 ? 0 : 4 + bytecode.length;
        ByteBuffer b = header(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, sequence, INET_DIAG_REQ_V2_LEN + bcAttr);
        b.put((byte) family).put((byte) IPPROTO_TCP).put((byte) ext).put((byte) 0).putInt(stateMask);
        b.put(new byte[INET_DIAG_SOCKID_LEN]);
        if (bcAttr > 0) {
            b.putShort((short) bcAttr).putShort((short) INET_DIAG_REQ_BYTECODE).put(bytecode);
        }
        return b.flip();
    }

    /**
     * A dump of every TCP socket of both families in {@code stateMask}: {@code TCPDIAG_GETSOCK} with
     * the original {@code struct inet_diag_req} (family, address lengths, ext, socket id, states,
     * dbs), which the kernel answers with one walk of its hash instead of one per family.
     */
    static ByteBuffer dumpBothFamilies(int stateMask, int ext, byte[] bytecode, int sequence) {
        int bcAttr = bytecode == null || bytecode.length == 0 ? 0 : 4 + bytecode.length;
        ByteBuffer b = header(TCPDIAG_GETSOCK, NLM_F_REQUEST | NLM_F_DUMP, sequence, INET_DIAG_REQ_LEN + bcAttr);
        b.put((byte) AF_UNSPEC).put((byte) 0).put((byte) 0).put((byte) ext);
        b.put(new byte[INET_DIAG_SOCKID_LEN]);
        b.putInt(stateMask).putInt(0);
        if (bcAttr > 0) {
            b.putShort((short) bcAttr).putShort((short) INET_DIAG_REQ_BYTECODE).put(bytecode);
        }
        return b.flip();
    }

    /**
     * A request about one socket by its full id: SOCK_DIAG_BY_FAMILY without NLM_F_DUMP (a lookup)
     * or SOCK_DESTROY.
     */
    static ByteBuffer single(int type, int family, byte[] src, int sport, byte[] dst, int dport, int ifindex,
                             long cookie, int ext, int sequence) {
        int flags = type == SOCK_DESTROY ? NLM_F_REQUEST | NLM_F_ACK : NLM_F_REQUEST;
        ByteBuffer b = header(type, flags, sequence, INET_DIAG_REQ_V2_LEN);
        b.put((byte) family).put((byte) IPPROTO_TCP).put((byte) ext).put((byte) 0).putInt(ALL_STATES_MASK);
        b.put((byte) (sport >>> 8)).put((byte) sport);
        b.put((byte) (dport >>> 8)).put((byte) dport);
        putAddress(b, src);
        putAddress(b, dst);
        b.putInt(ifindex);
        b.putInt((int) cookie).putInt((int) (cookie >>> 32));
        return b.flip();
    }

    private static void putAddress(ByteBuffer b, byte[] a) {
        if (a.length != 4 && a.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + a.length);
        }
        b.put(a);
        b.put(new byte[16 - a.length]);
    }

    private static ByteBuffer header(int type, int flags, int sequence, int payload) {
        int len = NLMSG_HDRLEN + payload;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(0);
        return b;
    }
}
