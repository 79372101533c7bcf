package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.agent.testing.TargetJvm;

/**
 * Issue 11 item 2 against a real target JVM: slow clients (a request head that never ends) and
 * idle keep-alive connections cannot lock the agent's endpoint, are closed after a bounded time,
 * and the number of connections (and so of the agent's threads) is bounded. No JVM-global
 * property is set for it.
 */
class SlowClientsIT {
    private static final String SLOW_HEAD = "GET /jolokia/version HTTP/1.1\r\nHost: x\r\n";

    @Test
    void aRequestAnswersWithinOneSecondWhile64SlowAnd64IdleClientsAreOpenAndBothAreClosedInBoundedTime() throws Exception {
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of(Targets.javaagent("port=0,requestTimeout=2,idleTimeout=3")),
                Targets.quietDemo().toArray(new String[0]))) {
            demo.awaitReady();
            String url = Targets.url(demo);
            String path = URI.create(url).getPath();
            // An MBean read without kernel work: what is timed is the server, not a dump of the host's
            // socket table (with a million foreign sockets on the host, that alone takes seconds).
            String read = path + "read/org.tcpjmx:type=Agent/Version";
            // Once before: the first read of a fresh JVM loads classes and opens netlink, which is not what is timed here.
            try (KeepAliveClient warm = new KeepAliveClient(url)) {
                assertEquals(200, warm.get(read).status());
            }
            List<Socket> slow = new ArrayList<>();
            List<KeepAliveClient> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) {
                    slow.add(slowClient(url));
                }
                for (int i = 0; i < 64; i++) {
                    KeepAliveClient c = new KeepAliveClient(url);
                    KeepAliveClient.Reply r = c.get(path + "version");
                    assertEquals(200, r.status(), r.body());
                    assertTrue(r.keepAlive(), "HTTP/1.1 stays open");
                    idle.add(c);
                }
                long start = System.nanoTime();
                try (KeepAliveClient fresh = new KeepAliveClient(url)) {
                    KeepAliveClient.Reply r = fresh.get(read);
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(200, r.status(), r.body());
                    assertTrue(r.body().contains("\"status\":200"), r.body());
                    assertTrue(millis < 1000, "answered in " + millis + " ms with 64 slow and 64 idle connections open");
                }
                // Slow: the request timeout (2 s) from the first byte; idle: the idle timeout (3 s).
                for (Socket s : slow) {
                    assertTrue(closedWithin(s, 6000), "a slow client is cut off after requestTimeout");
                }
                for (KeepAliveClient c : idle) {
                    assertTrue(c.closedByServerWithin(6000), "an idle keep-alive connection is closed after idleTimeout");
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
                for (KeepAliveClient c : idle) {
                    c.close();
                }
            }
            List<String> http = TargetJvm.agentThreads(demo.pid()).stream().filter(n -> n.startsWith("tcpjmx-http")).toList();
            assertTrue(http.size() <= 2, "connection threads end with their connections: " + http);
            Targets.assertNoStackTrace(demo);
        }
    }

    @Test
    void pastMaxConnectionsANewClientIsToldWhyAndServedOnceOneCloses() throws Exception {
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of(Targets.javaagent("port=0,maxConnections=3")),
                Targets.quietDemo().toArray(new String[0]))) {
            demo.awaitReady();
            String url = Targets.url(demo);
            String path = URI.create(url).getPath();
            List<KeepAliveClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    KeepAliveClient c = new KeepAliveClient(url);
                    assertEquals(200, c.get(path + "version").status());
                    held.add(c);
                }
                try (KeepAliveClient extra = new KeepAliveClient(url)) {
                    KeepAliveClient.Reply r = extra.read();
                    assertEquals(503, r.status(), r.body());
                    assertTrue(r.body().contains("at most 3 connections"), r.body());
                }
                held.remove(0).close();
                KeepAliveClient.Reply served = null;
                // The server notices the close when the connection's thread reads its end; a new client may come first.
                for (int i = 0; i < 50 && (served == null || served.status() == 503); i++) {
                    try (KeepAliveClient next = new KeepAliveClient(url)) {
                        served = next.get(path + "version");
                    } catch (IOException e) {
                        served = null;
                    }
                    if (served == null || served.status() == 503) {
                        Thread.sleep(20);
                    }
                }
                assertEquals(200, served.status(), served.body());
            } finally {
                for (KeepAliveClient c : held) {
                    c.close();
                }
            }
        }
    }

    @Test
    void twentyReadsOverOneKeepAliveConnectionAllAnswerOnIt() throws Exception {
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of(Targets.javaagent("port=0")), Targets.quietDemo().toArray(new String[0]))) {
            demo.awaitReady();
            String url = Targets.url(demo);
            try (KeepAliveClient c = new KeepAliveClient(url)) {
                int localPort = c.socket().getLocalPort();
                for (int i = 0; i < 20; i++) {
                    KeepAliveClient.Reply r = c.get(URI.create(url).getPath() + "read/org.tcpjmx:type=Agent/Version");
                    assertEquals(200, r.status(), r.body());
                    assertTrue(r.keepAlive(), "read " + i + " keeps the connection");
                    assertEquals(localPort, c.socket().getLocalPort());
                }
            }
        }
    }

    private static Socket slowClient(String url) throws IOException {
        URI u = URI.create(url);
        Socket s = new Socket();
        s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
        s.getOutputStream().write(SLOW_HEAD.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    private static boolean closedWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            byte[] b = new byte[4096];
            while (true) {
                if (s.getInputStream().read(b) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }
}
