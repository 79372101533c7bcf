package org.tcpjmx.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How the agent's Jolokia endpoint talks HTTP: its limits, the web origins it admits, and TLS.
 *
 * @param maxConnections {@code maxConnections=}: connections served at once
 * @param requestTimeoutSeconds {@code requestTimeout=}: a request (and a TLS handshake) must arrive within this
 * @param idleTimeoutSeconds {@code idleTimeout=}: a kept-alive connection is closed after this long without a request
 * @param allowedOrigins {@code allowOrigin=}: browser origins ({@code scheme://host:port}) admitted, besides a policy's
 * @param tls {@code protocol=https}: serve HTTPS with this keystore
 * @param insecureAuth {@code insecureAuth=true}: accept user and password over plain HTTP off loopback
 */
public record HttpOptions(int maxConnections, int requestTimeoutSeconds, int idleTimeoutSeconds, List<String> allowedOrigins,
        Optional<Tls> tls, boolean insecureAuth) {
    /** Defaults: far more connections than dashboards and CLIs use at once, yet bounded. */
    public static final int DEFAULT_MAX_CONNECTIONS = 200;
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;

    public HttpOptions {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** The defaults: plain HTTP, no web origin, the limits above. */
    public static HttpOptions defaults() {
        return new HttpOptions(DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_SECONDS, DEFAULT_IDLE_TIMEOUT_SECONDS, List.of(),
                Optional.empty(), false);
    }

    /**
     * HTTPS settings, named as Jolokia's JVM agent names them.
     *
     * @param keystore {@code keystore=}: the server's key and certificate, and the certificates (or CA) trusted for client certificates
     * @param keystorePassword {@code keystorePassword=}
     * @param clientCertificates {@code useSslClientAuthentication=true}: a client must present a certificate the keystore trusts
     */
    public record Tls(Path keystore, String keystorePassword, boolean clientCertificates) {
        @Override
        public String toString() {
            return "keystore=" + keystore + ",keystorePassword=***" + (clientCertificates ? ",useSslClientAuthentication=true" : "");
        }
    }
}
