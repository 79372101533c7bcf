package org.tcpjmx.linux;

import static org.tcpjmx.linux.LinuxConstants.*;

import java.nio.ByteBuffer;

/**
 * Walks the netlink messages of one received datagram. Every {@code nlmsg_len} is checked against
 * what was received before anything inside it is read; a message that does not fit ends the walk
 * with a {@link MalformedNetlinkException}, never a partial row.
 */
public final class SockDiagParser {
    /** Receives each socket of a dump. */
    @FunctionalInterface
    public interface Visitor {
        void visit(InetDiagMessage message);
    }

    /** What a datagram ended with. */
    public enum Outcome {
        /** More datagrams follow. */
        MORE,
        /** NLMSG_DONE: the dump is complete. */
        DONE,
        /** NLMSG_ERROR with error 0: the kernel acknowledged a request. */
        ACK
    }

    private final InetDiagMessage message = new InetDiagMessage();
    private boolean interrupted;

    /**
     * Parses one datagram.
     *
     * @param datagram position 0 to limit hold the bytes received, native byte order
     * @param sequence the request's sequence number; messages of another sequence are skipped
     * @throws NetlinkException for NLMSG_ERROR with a nonzero error, or NLMSG_DONE carrying one
     * @throws MalformedNetlinkException when lengths or fields do not add up
     */
    public Outcome parse(ByteBuffer datagram, int sequence, Visitor visitor) {
        int limit = datagram.limit();
        int off = 0;
        while (off < limit) {
            if (limit - off < NLMSG_HDRLEN) {
                throw new MalformedNetlinkException((limit - off) + " trailing bytes at offset " + off + ", less than a netlink header");
            }
            int len = datagram.getInt(off);
            int type = datagram.getShort(off + 4) & 0xffff;
            int flags = datagram.getShort(off + 6) & 0xffff;
            int seq = datagram.getInt(off + 8);
            if (len < NLMSG_HDRLEN || len > limit - off) {
                throw new MalformedNetlinkException("nlmsg_len " + Integer.toUnsignedString(len) + " at offset " + off
                        + " does not fit the " + (limit - off) + " bytes left of a " + limit + "-byte datagram");
            }
            if ((flags & NLM_F_DUMP_INTR) != 0) {
                interrupted = true;
            }
            if (seq == sequence) {
                switch (type) {
                    case NLMSG_DONE:
                        if (len >= NLMSG_HDRLEN + 4) {
                            int err = datagram.getInt(off + NLMSG_HDRLEN);
                            if (err < 0) {
                                throw new NetlinkException("sock_diag dump", -err);
                            }
                        }
                        return Outcome.DONE;
                    case NLMSG_ERROR: {
                        if (len < NLMSG_HDRLEN + 4) {
                            throw new MalformedNetlinkException("NLMSG_ERROR of " + len + " bytes has no error code");
                        }
                        int err = datagram.getInt(off + NLMSG_HDRLEN);
                        if (err == 0) {
                            return Outcome.ACK;
                        }
                        if (err > 0 || err < -4095) {
                            throw new MalformedNetlinkException("NLMSG_ERROR with error " + err);
                        }
                        throw new NetlinkException("sock_diag request", -err);
                    }
                    case SOCK_DIAG_BY_FAMILY:
                    case TCPDIAG_GETSOCK:
                        message.reset(datagram, off + NLMSG_HDRLEN, len - NLMSG_HDRLEN);
                        visitor.visit(message);
                        break;
                    case NLMSG_NOOP:
                        break;
                    default:
                        throw new MalformedNetlinkException("unexpected netlink message type " + type + " at offset " + off);
                }
            }
            off += (len + 3) & ~3;
        }
        return Outcome.MORE;
    }

    /** Whether a datagram was flagged NLM_F_DUMP_INTR: the table changed during the dump. */
    public boolean interrupted() {
        return interrupted;
    }
}
