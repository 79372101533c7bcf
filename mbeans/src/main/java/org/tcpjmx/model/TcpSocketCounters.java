package org.tcpjmx.model;

/**
 * The kernel's own running counts of TCP sockets, the figures {@code ss -s} prints, read without
 * walking the socket table. On Linux they come from {@code /proc/net/sockstat} and
 * {@code /proc/net/sockstat6}; {@code inUse*} and {@code timeWait} belong to the reader's network
 * namespace, {@code orphans}, {@code allocated} and {@code memoryPages} to the whole kernel.
 *
 * @param inUseIpv4 IPv4 sockets in the kernel's hash tables (listening, connecting, connected,
 *     closing): every socket of the table except TIME_WAIT entries and half-open requests (SYN_RCVD)
 * @param inUseIpv6 the same for IPv6 (IPv4-mapped sockets included: they are AF_INET6 sockets)
 * @param timeWait timewait entries, IPv4 and IPv6: the TIME_WAIT sockets, and the FIN_WAIT_2 sockets
 *     their application has closed (the kernel keeps both as the same minimal entry; the table
 *     shows the latter as FIN_WAIT_2). This is the count {@code net.ipv4.tcp_max_tw_buckets} limits
 * @param orphans sockets no process holds any longer (closed by their application, still sending
 *     or acknowledging their last data), all namespaces
 * @param allocated TCP sockets allocated, all namespaces, hashed or not (unconnected and closed ones too)
 * @param memoryPages memory the TCP stack has allocated for buffers, in pages (the unit of
 *     {@code net.ipv4.tcp_mem}), all namespaces
 */
public record TcpSocketCounters(long inUseIpv4, long inUseIpv6, long timeWait, long orphans, long allocated,
                                long memoryPages) {

    /**
     * The sockets of the table as the kernel counts them: hashed sockets of both families plus
     * timewait entries. It misses the half-open requests (SYN_RCVD) a table walk shows.
     */
    public long sockets() {
        return inUseIpv4 + inUseIpv6 + timeWait;
    }
}
