package org.tcpjmx.linux;

import static org.tcpjmx.linux.LinuxConstants.*;

import java.util.concurrent.atomic.AtomicReference;
import org.tcpjmx.model.IpFamily;

/**
 * Speaks {@code NETLINK_SOCK_DIAG} for TCP: dumps ({@code SOCK_DIAG_BY_FAMILY} with
 * {@code NLM_F_DUMP}, read until {@code NLMSG_DONE}), single-socket lookups by the full socket id,
 * and {@code SOCK_DESTROY}. A dump opens its own netlink socket, so a destroy issued while a dump
 * is being read never interleaves with it. Single-socket requests (lookups, destroys) reuse one idle
 * socket once an exchange has completed cleanly: a bulk drop would otherwise open and close two
 * sockets per connection (src/docs/benchmark.md has the cost). Thread-safe;
 * the idle socket (one descriptor) lives as long as the reader.
 */
public final class SockDiagReader {
    /** Extension bits: none. */
    public static final int EXT_NONE = 0;
    /** Extension bits: tcp_info and the congestion-control name. */
    public static final int EXT_INFO_AND_CONG = EXT_INFO | EXT_CONG;
    /** Extension bits: socket memory (ss -m) and TOS / traffic class (ss -e). */
    public static final int EXT_MEMORY_AND_TOS = EXT_SKMEMINFO | EXT_TOS | EXT_TCLASS;
    /** Extension bits: the congestion-control name only. */
    public static final int EXT_CONG_ONLY = EXT_CONG;

    /** A socket whose last request/answer completed, free for the next single-socket request. */
    private final AtomicReference<NetlinkSocket> idle = new AtomicReference<>();
    /** Set once the kernel refused a both-families dump; benign race: at worst one more refusal. */
    private volatile boolean oneWalkRefused;

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
     * Streams every TCP socket of both families in the state mask that passes the bytecode, in the
     * kernel's hash order. Where the kernel takes {@code TCPDIAG_GETSOCK} (every Linux since 2.6)
     * this is one walk of its socket hash: a dump per family would walk the whole hash twice
     * (src/docs/benchmark.md has the cost). Should the kernel refuse
     * that request before answering, this reader falls back to one {@code SOCK_DIAG_BY_FAMILY}
     * dump per family, from then on.
     *
     * @return whether the kernel flagged the dump as interrupted (the table changed while it ran)
     * @throws NetlinkException with the errno when the kernel refuses (ENOENT: no tcp_diag module)
     */
    public boolean dumpBothFamilies(int stateMask, int ext, byte[] bytecode, SockDiagParser.Visitor visitor) {
        if (!oneWalkRefused) {
            boolean[] answered = {false};
            try (NetlinkSocket s = NetlinkSocket.open()) {
                int seq = NetlinkSocket.nextSequence();
                s.send(SockDiagRequest.dumpBothFamilies(stateMask, ext, bytecode, seq));
                SockDiagParser parser = new SockDiagParser();
                SockDiagParser.Visitor seen = m -> {
                    answered[0] = true;
                    visitor.visit(m);
                };
                while (parser.parse(s.receive(), seq, seen) != SockDiagParser.Outcome.DONE) {
                    // keep reading: a dump spans many datagrams
                }
                return parser.interrupted();
            } catch (NetlinkException e) {
                // Refused before any socket came: this kernel (or its security module) does not take
                // the request. Once sockets came, or on a timeout, the error is the caller's.
                if (answered[0] || e.errno() == Errno.EAGAIN) {
                    throw e;
                }
                oneWalkRefused = true;
            }
        }
        boolean interrupted = dump(IpFamily.INET4, stateMask, ext, bytecode, visitor);
        return dump(IpFamily.INET6, stateMask, ext, bytecode, visitor) || interrupted;
    }

    /**
     * Looks one socket up by its full id (addresses, ports, interface, cookie).
     *
     * @return whether the kernel found it; the visitor saw it if so
     */
    public boolean lookup(IpFamily family, byte[] src, int sport, byte[] dst, int dport, int ifindex, long cookie,
                          int ext, SockDiagParser.Visitor visitor) {
        NetlinkSocket s = borrow();
        boolean clean = false;
        try {
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
                    clean = true;
                    return false;
                }
                throw e;
            }
            clean = true;
            return seen[0];
        } finally {
            giveBack(s, clean);
        }
    }

    /**
     * Sends {@code SOCK_DESTROY} for one socket by its full id.
     *
     * @return 0 when the kernel acknowledged, otherwise the errno it answered (EPERM, ENOENT,
     *     EOPNOTSUPP, EINVAL, ...)
     */
    public int destroy(IpFamily family, byte[] src, int sport, byte[] dst, int dport, int ifindex, long cookie) {
        NetlinkSocket s = borrow();
        boolean clean = false;
        try {
            int seq = NetlinkSocket.nextSequence();
            s.send(SockDiagRequest.single(SOCK_DESTROY, af(family), src, sport, dst, dport, ifindex, cookie, 0, seq));
            java.nio.ByteBuffer answer;
            try {
                answer = s.receive();
            } catch (NetlinkException e) {
                // No answer (a timeout): one may still come, so this socket is not kept.
                return e.errno();
            }
            try {
                SockDiagParser.Outcome o = new SockDiagParser().parse(answer, seq, m -> { });
                if (o != SockDiagParser.Outcome.ACK) {
                    throw new MalformedNetlinkException("SOCK_DESTROY answered without an acknowledgement");
                }
                clean = true;
                return 0;
            } catch (NetlinkException e) {
                // The kernel's answer (an errno) was read whole: the socket holds nothing stale.
                clean = true;
                return e.errno();
            }
        } finally {
            giveBack(s, clean);
        }
    }

    private NetlinkSocket borrow() {
        NetlinkSocket s = idle.getAndSet(null);
        return s != null ? s : NetlinkSocket.open();
    }

    /**
     * Keeps a socket for the next request only when its exchange completed (anything else may have
     * left an answer unread, which the next request would mistake for its own) and no other socket
     * is already kept.
     */
    private void giveBack(NetlinkSocket s, boolean clean) {
        if (!clean || !idle.compareAndSet(null, s)) {
            s.close();
        }
    }

    static int af(IpFamily family) {
        return family == IpFamily.INET4 ? AF_INET : AF_INET6;
    }
}
