package org.tcpjmx.agent.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.tcpjmx.agent.HttpOptions;

/**
 * The server socket for {@code protocol=https}: an {@code SSLContext} of the agent's own (never the
 * JVM's default one, nor its {@code javax.net.ssl.*} properties), from one keystore that holds the
 * server's key and the certificates trusted for client certificates, as Jolokia's agent does.
 */
final class TlsListener {
    private TlsListener() {
    }

    /**
     * An unbound TLS server socket.
     *
     * @throws IllegalArgumentException when the keystore cannot be read or holds no usable key
     */
    static ServerSocket open(HttpOptions.Tls tls) throws IOException {
        char[] password = tls.keystorePassword().toCharArray();
        try {
            KeyStore ks = KeyStore.getInstance(tls.keystore().toFile(), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            s.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            s.setNeedClientAuth(tls.clientCertificates());
            return s;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("keystore=" + tls.keystore() + " cannot serve HTTPS: " + e.getMessage()
                    + "; give a PKCS12 or JKS keystore holding the server's key, and its keystorePassword=", e);
        }
    }
}
