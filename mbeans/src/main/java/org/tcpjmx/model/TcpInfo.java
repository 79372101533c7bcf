package org.tcpjmx.model;

/**
 * The kernel's {@code struct tcp_info} figures for one socket ({@code include/uapi/linux/tcp.h}),
 * as {@code ss -i} shows them. Fields a kernel does not report (an older, shorter struct) are zero.
 *
 * @param caState congestion-avoidance state (0 open, 1 disorder, 2 CWR, 3 recovery, 4 loss)
 * @param retransmits retransmissions of the current segment ({@code tcpi_retransmits})
 * @param probes unanswered zero-window probes
 * @param backoff retransmit timer backoff exponent
 * @param rtoMicros retransmission timeout
 * @param sndMss sender's maximum segment size
 * @param rcvMss receiver's maximum segment size estimate
 * @param unacked segments sent and not yet acknowledged
 * @param lost segments presumed lost
 * @param retrans segments being retransmitted now
 * @param lastDataSentMillis age of the last data sent
 * @param lastDataRecvMillis age of the last data received
 * @param lastAckRecvMillis age of the last ACK received
 * @param pmtu path MTU
 * @param rttMicros smoothed round-trip time
 * @param rttVarMicros round-trip time variance
 * @param sndSsthresh slow-start threshold
 * @param sndCwnd congestion window in segments
 * @param totalRetrans retransmissions over the connection's life
 * @param pacingRate bytes per second
 * @param bytesAcked bytes the peer acknowledged
 * @param bytesReceived bytes received
 * @param segsOut segments sent
 * @param segsIn segments received
 * @param notsentBytes bytes queued but not yet sent
 * @param minRttMicros minimum RTT seen
 * @param deliveryRate bytes per second
 * @param bytesSent bytes sent, retransmissions included
 * @param bytesRetrans bytes retransmitted
 * @param sndWnd peer's advertised receive window
 * @param rcvWnd our advertised receive window
 * @param reportedLength bytes of tcp_info the kernel gave (grows with the kernel)
 */
public record TcpInfo(
        int caState,
        int retransmits,
        int probes,
        int backoff,
        long rtoMicros,
        long sndMss,
        long rcvMss,
        long unacked,
        long lost,
        long retrans,
        long lastDataSentMillis,
        long lastDataRecvMillis,
        long lastAckRecvMillis,
        long pmtu,
        long rttMicros,
        long rttVarMicros,
        long sndSsthresh,
        long sndCwnd,
        long totalRetrans,
        long pacingRate,
        long bytesAcked,
        long bytesReceived,
        long segsOut,
        long segsIn,
        long notsentBytes,
        long minRttMicros,
        long deliveryRate,
        long bytesSent,
        long bytesRetrans,
        long sndWnd,
        long rcvWnd,
        int reportedLength) {
}
