package org.tcpjmx.model;

/** Where a TCP table came from. */
public enum Backend {
    /** {@code NETLINK_SOCK_DIAG}: the full socket id (cookie), tcp_info and congestion control. */
    NETLINK,
    /** {@code /proc/net/tcp} and {@code /proc/net/tcp6}: no cookie, no tcp_info, no congestion control. */
    PROCFS
}
