package org.tcpjmx.linux;

/**
 * Kernel constants, named as in the kernel's UAPI headers, each with its header. Only what this
 * package speaks is here.
 */
final class LinuxConstants {
    private LinuxConstants() {
    }

    // include/linux/socket.h
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_NETLINK = 16;
    static final int AF_INET6 = 10;

    // include/uapi/asm-generic/socket.h (x86, arm, riscv share these values)
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SO_SNDTIMEO = 21;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;

    // include/uapi/linux/in.h
    static final int IPPROTO_TCP = 6;
    // include/uapi/linux/socket.h, sys/socket.h
    static final int MSG_TRUNC = 0x20;

    // include/uapi/linux/netlink.h
    static final int NETLINK_SOCK_DIAG = 4;
    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_ROOT = 0x100;
    static final int NLM_F_MATCH = 0x200;
    static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    // include/uapi/linux/sock_diag.h
    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int SOCK_DESTROY = 21;

    // include/uapi/linux/inet_diag.h: struct inet_diag_sockid, inet_diag_req_v2, inet_diag_msg
    static final int INET_DIAG_SOCKID_LEN = 48;
    static final int INET_DIAG_REQ_V2_LEN = 56;
    /**
     * The original request, {@code TCPDIAG_GETSOCK} with {@code struct inet_diag_req}: it names no
     * address family, so one dump walks the kernel's socket hash once for IPv4 and IPv6 together
     * ({@code inet_diag_dump_compat}); its answers carry the same type.
     */
    static final int TCPDIAG_GETSOCK = 18;
    static final int INET_DIAG_REQ_LEN = 60;
    static final int INET_DIAG_MSG_LEN = 72;
    /** Offsets inside struct inet_diag_sockid. */
    static final int SOCKID_SPORT = 0;
    static final int SOCKID_DPORT = 2;
    static final int SOCKID_SRC = 4;
    static final int SOCKID_DST = 20;
    static final int SOCKID_IF = 36;
    static final int SOCKID_COOKIE = 40;
    /** Offsets inside struct inet_diag_msg. */
    static final int MSG_FAMILY = 0;
    static final int MSG_STATE = 1;
    static final int MSG_TIMER = 2;
    static final int MSG_RETRANS = 3;
    static final int MSG_ID = 4;
    static final int MSG_EXPIRES = 52;
    static final int MSG_RQUEUE = 56;
    static final int MSG_WQUEUE = 60;
    static final int MSG_UID = 64;
    static final int MSG_INODE = 68;

    /** Request attribute types. */
    static final int INET_DIAG_REQ_BYTECODE = 1;
    /** Response attribute types (enum in inet_diag.h). */
    static final int INET_DIAG_INFO = 2;
    static final int INET_DIAG_CONG = 4;
    static final int INET_DIAG_TOS = 5;
    static final int INET_DIAG_TCLASS = 6;
    static final int INET_DIAG_SKMEMINFO = 7;
    /** Sent only to a requester with CAP_NET_ADMIN, and only for full sockets. */
    static final int INET_DIAG_MARK = 15;
    static final int INET_DIAG_CGROUP_ID = 21;
    /** Bits of inet_diag_req_v2.idiag_ext: 1 << (attribute - 1). */
    static final int EXT_INFO = 1 << (INET_DIAG_INFO - 1);
    static final int EXT_CONG = 1 << (INET_DIAG_CONG - 1);
    static final int EXT_TOS = 1 << (INET_DIAG_TOS - 1);
    static final int EXT_TCLASS = 1 << (INET_DIAG_TCLASS - 1);
    static final int EXT_SKMEMINFO = 1 << (INET_DIAG_SKMEMINFO - 1);

    // include/uapi/linux/sock_diag.h: SK_MEMINFO_RMEM_ALLOC .. SK_MEMINFO_DROPS, u32 each
    static final int SK_MEMINFO_VARS = 9;

    /** Bytecode operations (enum in inet_diag.h). */
    static final int INET_DIAG_BC_JMP = 1;
    static final int INET_DIAG_BC_S_GE = 2;
    static final int INET_DIAG_BC_S_LE = 3;
    static final int INET_DIAG_BC_D_GE = 4;
    static final int INET_DIAG_BC_D_LE = 5;
    static final int INET_DIAG_BC_AUTO = 6;
    static final int INET_DIAG_BC_S_COND = 7;
    static final int INET_DIAG_BC_D_COND = 8;
    /** Since Linux 4.14 (u32 ifindex after the op). */
    static final int INET_DIAG_BC_DEV_COND = 9;
    /** Since Linux 4.14 (struct inet_diag_markcond { u32 mark; u32 mask; }); the kernel refuses it without CAP_NET_ADMIN. */
    static final int INET_DIAG_BC_MARK_COND = 10;
    /** Since Linux 5.9 (u64 cgroup v2 id after the op). */
    static final int INET_DIAG_BC_CGROUP_COND = 13;

    /** All TCP states, as a req_v2 state mask (bits 1..12; NEW_SYN_RECV is 12). */
    static final int ALL_STATES_MASK = 0x1ffe;

    // include/uapi/asm-generic/fcntl.h
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;

    // include/uapi/linux/sched.h
    static final int CLONE_NEWNET = 0x40000000;
}
