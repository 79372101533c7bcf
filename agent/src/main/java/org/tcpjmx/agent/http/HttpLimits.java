package org.tcpjmx.agent.http;

/**
 * How much of the host one HTTP client may hold: connections open at once, and how long a
 * connection may take to send a request or sit idle between requests before it is closed.
 *
 * @param maxConnections connections served at once; one more is answered 503 and closed
 * @param requestTimeoutMillis from a request's first byte until its head and body have arrived
 *     (also the TLS handshake and the wait for a new connection's first request)
 * @param idleTimeoutMillis how long a kept-alive connection may wait for its next request
 * @param maxRequestBytes the largest request body served; a larger one gets 413
 */
public record HttpLimits(int maxConnections, int requestTimeoutMillis, int idleTimeoutMillis, int maxRequestBytes) {
    /**
     * Default request body limit: far above any Jolokia bulk request an operator sends, and above
     * the few MB a mistaken argument may have, which the MBean then names (better than a 413).
     */
    public static final int MAX_REQUEST_BYTES = 16 << 20;

    public HttpLimits {
        if (maxConnections < 1 || requestTimeoutMillis < 1 || idleTimeoutMillis < 1 || maxRequestBytes < 1) {
            throw new IllegalArgumentException("HTTP limits are positive, got maxConnections=" + maxConnections
                    + " requestTimeout=" + requestTimeoutMillis + "ms idleTimeout=" + idleTimeoutMillis + "ms");
        }
    }
}
