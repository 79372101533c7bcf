package org.tcpjmx.platform;

import org.tcpjmx.model.TcpState;

/**
 * Receives each socket of a {@link TcpPlatform#tally} as the three figures the histograms count:
 * no row is built per socket, so counting a million sockets allocates nothing per socket.
 */
@FunctionalInterface
public interface SocketTally {
    /**
     * One socket.
     *
     * @param state its state
     * @param localPort its local port
     * @param owned whether this JVM holds a descriptor on it (false unless the tally asked for it)
     */
    void add(TcpState state, int localPort, boolean owned);
}
