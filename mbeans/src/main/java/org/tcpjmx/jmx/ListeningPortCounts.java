package org.tcpjmx.jmx;

import java.util.SortedMap;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.platform.TcpHistograms;
import org.tcpjmx.platform.TcpPlatform;

/**
 * Sockets per state on the host's server ports: the local ports where some socket listens. This is
 * what {@code States.ByListeningPort} shows, and why it is bounded: every outgoing connection has a
 * local port of its own (an ephemeral one), so a breakdown over every local port would give
 * Prometheus one series per client connection; a host's listening ports are few and stable. The
 * counting itself is part of {@link TcpHistograms#snapshot}, so the breakdown comes from the same
 * walk as the histograms read with it.
 */
final class ListeningPortCounts {
    /** Most ports shown, lowest first: well-known and service ports before the random ones of tests and tools. */
    static final int PORT_LIMIT = 100;

    private ListeningPortCounts() {
    }

    /**
     * The lowest {@code limit} ports with a listening socket (IPv4 or IPv6, any address), each with
     * every socket whose local port it is, per state, every state present; one fresh walk.
     */
    static SortedMap<Integer, StateHistogram> count(TcpPlatform platform, int limit) {
        return new TcpHistograms(platform).snapshot(limit).byListeningPort();
    }
}
