package org.tcpjmx.model;

import java.util.Optional;

/**
 * What {@code ss -e} and {@code ss -m} add to a row, where the kernel reported it, and whether the
 * kernel chose the socket's local port.
 *
 * @param mark the socket's fwmark ({@code SO_MARK}), or -1 when unknown: the kernel reports it
 *     ({@code INET_DIAG_MARK}) only to a process with CAP_NET_ADMIN, and never for TIME_WAIT or
 *     request sockets
 * @param cgroupId the cgroup v2 id of the socket ({@code INET_DIAG_CGROUP_ID}), 0 when none or unknown
 *     (TIME_WAIT and request sockets belong to no cgroup)
 * @param tos IPv4 TOS byte ({@code INET_DIAG_TOS}), -1 when not reported
 * @param tclass IPv6 traffic class ({@code INET_DIAG_TCLASS}), -1 when not reported
 * @param memory socket memory ({@code INET_DIAG_SKMEMINFO}) when it was requested and reported
 * @param autobound whether the kernel picked the local port (ss's {@code autobound}); filled only
 *     when a filter asks for it, false otherwise
 */
public record SocketExtras(long mark, long cgroupId, int tos, int tclass, Optional<SocketMemory> memory,
                           boolean autobound) {
    /** Nothing known. */
    public static final SocketExtras NONE = new SocketExtras(-1, 0, -1, -1, Optional.empty(), false);

    public SocketExtras {
        if (memory == null) {
            throw new IllegalArgumentException("memory is Optional.empty() when unknown, never null");
        }
    }

    /** Whether the mark is known. */
    public boolean hasMark() {
        return mark >= 0;
    }

    /** The same with the autobound flag set. */
    public SocketExtras withAutobound(boolean value) {
        return value == autobound ? this : new SocketExtras(mark, cgroupId, tos, tclass, memory, value);
    }
}
