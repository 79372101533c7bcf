package org.tcpjmx.model;

/**
 * A socket's memory, as {@code ss -m} shows it in {@code skmem:(...)}: the kernel's
 * {@code INET_DIAG_SKMEMINFO} ({@code SK_MEMINFO_*} in include/uapi/linux/sock_diag.h), in bytes
 * except {@code drops} (packets).
 *
 * @param rmemAlloc {@code r}: receive memory in use
 * @param rcvbuf {@code rb}: receive buffer size
 * @param wmemAlloc {@code t}: transmit memory in use
 * @param sndbuf {@code tb}: send buffer size
 * @param fwdAlloc {@code f}: memory scheduled but not yet used
 * @param wmemQueued {@code w}: memory queued for sending
 * @param optmem {@code o}: option memory
 * @param backlog {@code bl}: backlog queue
 * @param drops {@code d}: packets dropped before entering the socket
 */
public record SocketMemory(long rmemAlloc, long rcvbuf, long wmemAlloc, long sndbuf, long fwdAlloc, long wmemQueued,
                           long optmem, long backlog, long drops) {

    /** {@code skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0)}, as ss prints it. */
    @Override
    public String toString() {
        return "skmem:(r" + rmemAlloc + ",rb" + rcvbuf + ",t" + wmemAlloc + ",tb" + sndbuf + ",f" + fwdAlloc + ",w"
                + wmemQueued + ",o" + optmem + ",bl" + backlog + ",d" + drops + ")";
    }
}
