package org.tcpjmx.jmx;

import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.TcpSocketCounters;
import org.tcpjmx.platform.TcpPlatform;

/**
 * {@code Connections.Count}: the host's TCP sockets from the kernel's counters, the same at ten
 * sockets as at a million; a walk of the table only where the kernel keeps no counters.
 */
final class SocketCount {
    private SocketCount() {
    }

    static long of(TcpPlatform platform) {
        return platform.socketCounters().map(TcpSocketCounters::sockets)
                .orElseGet(() -> platform.histogram(Filter.ALL).total());
    }
}
