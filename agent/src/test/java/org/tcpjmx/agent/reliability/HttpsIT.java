package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.agent.testing.TargetJvm;

/**
 * Issue 11 item 5, transport security, against a real target JVM: HTTPS off loopback with a
 * keystore made by {@code keytool} here, client certificates required, a real TLS client
 * ({@code java.net.http}); and a password over plain HTTP off loopback refused unless accepted.
 */
class HttpsIT {
    private static final String PASS = "changeit";

    @Test
    void httpsOffLoopbackWithClientCertificatesServesACertifiedClientAndNoOtherAndNeverPlainHttp(@TempDir Path dir) throws Exception {
        Path server = dir.resolve("server.p12");
        Path client = dir.resolve("client.p12");
        Path trust = dir.resolve("client-trust.p12");
        keytool("-genkeypair", "-alias", "agent", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=tcpjmx agent",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass", PASS);
        keytool("-genkeypair", "-alias", "operator", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=operator",
                "-validity", "2", "-keystore", client.toString(), "-storetype", "PKCS12", "-storepass", PASS);
        Path serverCert = dir.resolve("agent.cer");
        Path clientCert = dir.resolve("operator.cer");
        keytool("-exportcert", "-alias", "agent", "-keystore", server.toString(), "-storepass", PASS, "-file", serverCert.toString());
        keytool("-exportcert", "-alias", "operator", "-keystore", client.toString(), "-storepass", PASS, "-file", clientCert.toString());
        keytool("-importcert", "-noprompt", "-alias", "operator", "-file", clientCert.toString(), "-keystore", server.toString(),
                "-storetype", "PKCS12", "-storepass", PASS);
        keytool("-importcert", "-noprompt", "-alias", "agent", "-file", serverCert.toString(), "-keystore", trust.toString(),
                "-storetype", "PKCS12", "-storepass", PASS);

        String options = "host=0.0.0.0,port=0,protocol=https,keystore=" + server + ",keystorePassword=" + PASS
                + ",useSslClientAuthentication=true,user=ops,password=s3cret,requestTimeout=5";
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of(Targets.javaagent(options)), Targets.quietDemo().toArray(new String[0]))) {
            demo.awaitReady();
            String url = Targets.url(demo);
            assertTrue(url.startsWith("https://"), "the agent announces https: " + url);
            int port = URI.create(url).getPort();
            URI read = URI.create("https://127.0.0.1:" + port + "/jolokia/read/org.tcpjmx:type=States/Total");
            String basic = "Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8));

            HttpClient certified = client(sslContext(client, trust));
            HttpResponse<String> ok = certified.send(HttpRequest.newBuilder(read).header("Authorization", basic).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(ok.body().contains("\"status\":200"), ok.body());
            HttpResponse<String> noPassword = certified.send(HttpRequest.newBuilder(read).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, noPassword.statusCode(), "the certificate does not replace the password");

            HttpClient anonymous = client(sslContext(null, trust));
            assertThrows(IOException.class, () -> anonymous.send(HttpRequest.newBuilder(read).header("Authorization", basic)
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()), "no client certificate, no answer");

            // Plain HTTP to the TLS port: no HTTP answer, and the password sent in clear is never accepted.
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                plain.setSoTimeout(20_000);
                plain.getOutputStream().write(("GET /jolokia/version HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = plain.getInputStream();
                byte[] got = readSome(in);
                assertTrue(!new String(got, StandardCharsets.ISO_8859_1).startsWith("HTTP/"), "no HTTP answer over plain TCP");
            }
            // A client that trickles its handshake, a byte every 200 ms (each byte well within a read's
            // timeout), is cut off after requestTimeout (5 s here: a cold JVM's first handshakes on a busy
            // host need seconds) all the same; without the agent's sweep it would hold on for 100 s.
            try (Socket slow = new Socket()) {
                slow.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                long start = System.nanoTime();
                Thread trickle = new Thread(() -> {
                    // A TLS record header announcing a 512-byte ClientHello, then the rest one byte at a time.
                    byte[] hello = new byte[5 + 512];
                    hello[0] = 0x16;
                    hello[1] = 0x03;
                    hello[2] = 0x01;
                    hello[3] = 0x02;
                    hello[4] = 0x00;
                    hello[5] = 0x01;
                    try {
                        for (byte b : hello) {
                            slow.getOutputStream().write(b);
                            slow.getOutputStream().flush();
                            Thread.sleep(200);
                        }
                    } catch (IOException | InterruptedException e) {
                        // Closed by the agent: what is expected.
                    }
                });
                trickle.setDaemon(true);
                trickle.start();
                slow.setSoTimeout(60_000);
                try {
                    while (slow.getInputStream().read() >= 0) {
                        // An alert, if any, then the end.
                    }
                } catch (java.net.SocketException e) {
                    // A reset is a close too.
                }
                long millis = (System.nanoTime() - start) / 1_000_000L;
                assertTrue(millis < 15_000, "a trickled handshake is closed after requestTimeout, took " + millis + " ms");
                trickle.interrupt();
            }
            // The agent still serves after the failed handshakes, on a new connection (the pooled one may be idle past idleTimeout).
            HttpResponse<String> again = client(sslContext(client, trust)).send(HttpRequest.newBuilder(read).header("Authorization", basic).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, again.statusCode(), again.body());
            Targets.assertNoStackTrace(demo);
        }
    }

    @Test
    void aPasswordOverPlainHttpOffLoopbackIsRefusedWithTheReasonUnlessTheRiskIsAccepted() throws Exception {
        try (JvmProcess refused = JvmProcess.demo(JvmProcess.java(), List.of(Targets.javaagent("host=0.0.0.0,port=0,user=ops,password=s3cret")),
                Targets.quietDemo().toArray(new String[0]))) {
            int demoPort = refused.awaitReady();
            String why = refused.awaitErr(l -> l.startsWith("tcpjmx-agent: not started:"), 20);
            assertTrue(why.contains("clear text") && why.contains("protocol=https") && why.contains("insecureAuth=true"), why);
            assertEquals(List.of(), TargetJvm.agentThreads(refused.pid()), "nothing serves HTTP");
            Targets.assertServes(demoPort);
        }
        try (JvmProcess accepted = JvmProcess.demo(JvmProcess.java(),
                List.of(Targets.javaagent("host=0.0.0.0,port=0,user=ops,password=s3cret,insecureAuth=true")), Targets.quietDemo().toArray(new String[0]))) {
            accepted.awaitReady();
            String url = Targets.url(accepted);
            assertTrue(url.startsWith("http://"), url);
        }
    }

    private static byte[] readSome(InputStream in) throws IOException {
        byte[] b = new byte[5];
        try {
            int n = in.read(b);
            return n < 0 ? new byte[0] : java.util.Arrays.copyOf(b, n);
        } catch (java.net.SocketException e) {
            return new byte[0];
        }
    }

    private static HttpClient client(SSLContext ssl) {
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static SSLContext sslContext(Path keyStore, Path trustStore) throws Exception {
        KeyStore trust = KeyStore.getInstance(trustStore.toFile(), PASS.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(KeyStore.getInstance(keyStore.toFile(), PASS.toCharArray()), PASS.toCharArray());
        }
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return c;
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, p.exitValue(), "keytool " + String.join(" ", args) + ":\n" + out);
    }
}
