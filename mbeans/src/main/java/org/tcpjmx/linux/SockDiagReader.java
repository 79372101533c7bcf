package org.tcpjmx.linux;

import static org.tcpjmx.linux.LinuxConstants.*;

import org.tcpjmx.model.IpFamily;

/**
 * Speaks {@code NETLINK_SOCK_DIAG} for TCP: dumps ({@code SOCK_DIAG_BY_FAMILY} with
 * {@code NLM_F_DUMP}, read until {@code NLMSG_DONE}), single-socket lookups by the full socket id,
 * and {@code SOCK_DESTROY}. Each call opens its own netlink socket, so a destroy issued while a dump
 * is being read never interleaves with it. Thread-safe.
 */
public final class SockDiagReader {
    /** Extension bits: none. */
    public static final int EXT_NONE = 0;
    /** Extension bits: tcp_info and the congestion-control name. */
    public static final int EXT_INFO_AND_CONG = EXT_INFO | EXT_CONG;
    /** Extension bits: the congestion-control name only. */
    public static final int EXT_CONG_ONLY = EXT_CONG;

    /** Whether this process can open a sock_diag socket at all (JNA loads, socket() succeeds). */
    public static void probe() {
        NetlinkSocket.open().close();
    }

    /**
     * Streams every TCP socket of one family in the state mask that passes the bytecode.
     *
     * @param stateMask Linux state bits ({@code 1 << state})
     * @param ext extension bits ({@link #EXT_NONE}, {@link #EXT_INFO_AND_CONG}, ...)
     * @param bytecode kernel filter bytecode, empty for none
     * @return whether the kernel flagged the dump as interrupted (the table changed while it ran)
     * @throws NetlinkException with the errno when the kernel refuses (ENOENT: no tcp_diag module)
     */
    public boolean dump(IpFamily family, int stateMask, int ext, byte[] bytecode, SockDiagParser.Visitor visitor) {
        try (NetlinkSocket s = NetlinkSocket.open()) {
            int seq = NetlinkSocket.nextSequence();
            s.send(SockDiagRequest.dump(af(family), stateMask, ext, bytecode, seq));
            SockDiagParser parser = new SockDiagParser();
            while (parser.parse(s.receive(), seq, visitor) != SockDiagParser.Outcome.DONE) {
                // keep reading: a dump spans many datagrams
            }
            return parser.interrupted();
        }
    }

    /**
     * Looks one socket up by its full id (addresses, ports, interface, cookie).
     *
     * @return whether the kernel found it; the visitor saw it if so
     */
    public boolean lookup(IpFamily family, byte[] src, int sport, byte[] dst, int dport, int ifindex, long cookie,
                          int ext, SockDiagParser.Visitor visitor) {
        try (NetlinkSocket s = NetlinkSocket.open()) {
            int seq = NetlinkSocket.nextSequence();
            s.send(SockDiagRequest.single(SOCK_DIAG_BY_FAMILY, af(family), src, sport, dst, dport, ifindex, cookie, ext, seq));
            boolean[] seen = {false};
            try {
                new SockDiagParser().parse(s.receive(), seq, m -> {
                    seen[0] = true;
                    visitor.visit(m);
                });
            } catch (NetlinkException e) {
                if (e.errno() == Errno.ENOENT) {
                    return false;
                }
                throw e;
            }
            return seen[0];
        }
    }

    /**
     * Sends {@code SOCK_DESTROY} for one socket by its full id.
     *
     * @return 0 when the kernel acknowledged, otherwise the errno it answered (EPERM, ENOENT,
     *     EOPNOTSUPP, EINVAL, ...)
     */
    public int destroy(IpFamily family, byte[] src, int sport, byte[] dst, int dport, int ifindex, long cookie) {
        try (NetlinkSocket s = NetlinkSocket.open()) {
            int seq = NetlinkSocket.nextSequence();
            s.send(SockDiagRequest.single(SOCK_DESTROY, af(family), src, sport, dst, dport, ifindex, cookie, 0, seq));
            try {
                SockDiagParser.Outcome o = new SockDiagParser().parse(s.receive(), seq, m -> { });
                if (o != SockDiagParser.Outcome.ACK) {
                    throw new MalformedNetlinkException("SOCK_DESTROY answered without an acknowledgement");
                }
                return 0;
            } catch (NetlinkException e) {
                return e.errno();
            }
        }
    }

    static int af(IpFamily family) {
        return family == IpFamily.INET4 ? AF_INET : AF_INET6;
    }
}
