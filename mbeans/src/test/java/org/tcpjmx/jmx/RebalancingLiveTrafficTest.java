package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * Rebalancing live traffic over a real JMX connector: a server on a loopback address of this test's
 * own (127.a.b.c, random) with 20 connections from each of two peers, 127.0.0.2 and 127.0.0.3, bound
 * explicitly. The filter names the listener's address and port, so only this test's server-side
 * sockets can be selected. The clients watch for the reset.
 */
class RebalancingLiveTrafficTest {
    private static final ObjectName DROP = TcpJmx.DROP;
    private static final String[] REBALANCE = {"java.lang.String", "java.lang.Double", "java.lang.Integer", "java.lang.Boolean"};
    private static final String[] ID = {"java.lang.String"};
    private static final List<String> PEERS = List.of("127.0.0.2", "127.0.0.3");
    private static final int PER_PEER = 20;
    private static final TcpPlatform PLATFORM = TcpPlatforms.open();

    private ServerSocketChannel listener;
    private final List<SocketChannel> serverEnds = new ArrayList<>();
    private ResetWatch clients;
    private String filter;
    private RemoteJmx jmx;
    private MBeanServerConnection client;
    private final BlockingQueue<Notification> ended = new LinkedBlockingQueue<>();

    @BeforeEach
    void serverWithTwoPeers() throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String address = "127." + r.nextInt(1, 255) + "." + r.nextInt(1, 255) + "." + r.nextInt(2, 255);
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(address, 0));
        int port = listener.socket().getLocalPort();
        filter = "src " + address + ":" + port;
        List<SocketChannel> clientEnds = new ArrayList<>();
        for (String peer : PEERS) {
            for (int i = 0; i < PER_PEER; i++) {
                SocketChannel c = SocketChannel.open();
                c.bind(new InetSocketAddress(peer, 0));
                c.connect(listener.getLocalAddress());
                clientEnds.add(c);
                serverEnds.add(listener.accept());
            }
        }
        clients = new ResetWatch(clientEnds);
        jmx = new RemoteJmx(TcpJmxOptions.of(PLATFORM));
        client = jmx.connection;
        client.addNotificationListener(DROP, (n, handback) -> ended.add(n), null, null);
        assertEquals(Map.of("127.0.0.2", PER_PEER, "127.0.0.3", PER_PEER), serverSideByPeer());
    }

    @AfterEach
    void close() throws Exception {
        jmx.close();
        clients.close();
        for (SocketChannel s : serverEnds) {
            s.close();
        }
        listener.close();
    }

    private CompositeData rebalance(double fraction, int perSecond, boolean listOnly) throws Exception {
        return (CompositeData) client.invoke(DROP, "rebalance", new Object[] {filter, fraction, perSecond, listOnly}, REBALANCE);
    }

    /** This test's server-side sockets still in the table, per peer. */
    private Map<String, Integer> serverSideByPeer() {
        Map<String, Integer> out = new TreeMap<>();
        for (TcpConnection c : PLATFORM.connections(FilterParser.parse(filter + " and state established"), false)) {
            out.merge(ipv4(c.remote().addressText()), 1, Integer::sum);
        }
        return out;
    }

    /** A JVM's dual-stack sockets show IPv4 peers IPv4-mapped. */
    private static String ipv4(String address) {
        return address.startsWith("::ffff:") ? address.substring("::ffff:".length()) : address;
    }

    private CompositeData awaitEnd() throws InterruptedException {
        Notification n = ended.poll(30, TimeUnit.SECONDS);
        assertNotNull(n, "no " + DropBean.REBALANCE_ENDED + " notification within 30 s");
        assertEquals(DropBean.REBALANCE_ENDED, n.getType());
        return (CompositeData) n.getUserData();
    }

    @Test
    void halfOfEachPeersConnectionsAreResetSpreadOverAboutASecond() throws Exception {
        CompositeData job = rebalance(0.5, 20, false);
        assertEquals("RUNNING", job.get("state"), job.toString());
        assertEquals(40, job.get("matched"));
        assertEquals(20, job.get("selected"));
        long planned = (Long) job.get("expectedEnd") - (Long) job.get("started");
        assertEquals(950, planned, 1, "19 gaps of 1/20 s");

        CompositeData end = awaitEnd();
        assertEquals(job.get("id"), end.get("id"));
        assertEquals("DONE", end.get("state"), end.toString());
        assertEquals(20, end.get("dropped"), end.toString());
        assertEquals(0, end.get("failed"));
        assertEquals(0, end.get("notFound"));
        assertTrue((Long) end.get("ended") >= (Long) end.get("started"));

        List<ResetWatch.Reset> resets = clients.awaitResets(20);
        assertEquals(Map.of("127.0.0.2", 10, "127.0.0.3", 10), ResetWatch.byPeer(resets), "the clients saw the resets");
        assertTrue(resets.stream().allMatch(ResetWatch.Reset::byRst), "each client read a reset: " + resets);
        long spreadMillis = (resets.get(resets.size() - 1).nanos() - resets.get(0).nanos()) / 1_000_000;
        System.out.println("rebalance(0.5, 20/s): 20 client resets from first to last " + spreadMillis
                + " ms (planned " + planned + " ms)");
        assertTrue(spreadMillis >= 500, "20 drops at 20 a second are spread over about a second, not at once: "
                + spreadMillis + " ms from first to last");
        assertEquals(Map.of("127.0.0.2", 10, "127.0.0.3", 10), serverSideByPeer(), "the other half untouched");
        assertEquals(20, clients.resets().size(), "no client of the other half was reset");

        CompositeData[] jobs = (CompositeData[]) client.getAttribute(DROP, "Jobs");
        assertEquals(1, jobs.length);
        assertEquals("DONE", jobs[0].get("state"));
        assertEquals(20, jobs[0].get("dropped"));
    }

    @Test
    void listOnlyListsTenPerPeerAndDropsNone() throws Exception {
        CompositeData listed = rebalance(0.5, 20, true);
        assertEquals("", listed.get("id"), "a listing is no job");
        assertEquals("DONE", listed.get("state"));
        assertEquals(0, listed.get("dropped"));
        String[] commands = (String[]) listed.get("commands");
        Map<String, Integer> byPeer = new TreeMap<>();
        for (String line : commands) {
            String[] words = line.split(" ");
            assertEquals("tcpdrop", words[0], line);
            assertEquals(filter, "src " + ipv4(words[1]) + ":" + words[2], line);
            byPeer.merge(ipv4(words[3]), 1, Integer::sum);
        }
        assertEquals(Map.of("127.0.0.2", 10, "127.0.0.3", 10), byPeer, Arrays.toString(commands));
        assertEquals(0, ((CompositeData[]) client.getAttribute(DROP, "Jobs")).length, "no job started");
        Thread.sleep(200);
        assertEquals(List.of(), clients.resets());
        assertEquals(Map.of("127.0.0.2", 20, "127.0.0.3", 20), serverSideByPeer());
    }

    @Test
    void cancelMidWayStopsTheJob() throws Exception {
        CompositeData job = rebalance(1.0, 10, false);
        assertEquals(40, job.get("selected"), "1.0 drains every connection");
        clients.awaitResets(3);
        CompositeData cancelled = (CompositeData) client.invoke(DROP, "cancel", new Object[] {job.get("id")}, ID);
        assertEquals(job.get("id"), cancelled.get("id"));
        CompositeData end = awaitEnd();
        assertEquals("CANCELLED", end.get("state"), end.toString());
        int dropped = (Integer) end.get("dropped");
        assertTrue(dropped >= 3 && dropped < 40, end.toString());
        assertEquals(0, end.get("failed"));
        Thread.sleep(300);
        assertEquals(dropped, clients.resets().size(), "nothing dropped after the job ended");
        assertEquals(40 - dropped, serverSideByPeer().values().stream().mapToInt(Integer::intValue).sum());
        CompositeData again = (CompositeData) client.invoke(DROP, "cancel", new Object[] {job.get("id")}, ID);
        assertEquals("CANCELLED", again.get("state"), "cancelling an ended job changes nothing");
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        Object[][] bad = {
            {filter, 0.0, 20, false, "fraction 0.0 is outside (0, 1]"},
            {filter, 1.5, 20, false, "fraction 1.5 is outside (0, 1]"},
            {filter, Double.NaN, 20, false, "fraction NaN is outside (0, 1]"},
            {filter, 0.5, -1, false, "perSecond -1 is not a rate"},
            {filter, 0.5, 1_000_000, false, "perSecond 1000000 is not a rate"},
            {"sport = :1 and dport = :2 or src 10.0.0.1", 0.5, 20, false, "parentheses"},
            {"state nonsense", 0.5, 20, false, "nonsense"},
        };
        for (Object[] b : bad) {
            RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class, () -> client.invoke(DROP, "rebalance",
                    Arrays.copyOf(b, 4), REBALANCE), Arrays.toString(b));
            assertInstanceOf(IllegalArgumentException.class, e.getCause(), Arrays.toString(b));
            assertTrue(e.getCause().getMessage().contains((String) b[4]), e.getCause().getMessage());
        }
        RuntimeMBeanException unknown = assertThrows(RuntimeMBeanException.class,
                () -> client.invoke(DROP, "cancel", new Object[] {"42"}, ID));
        assertTrue(unknown.getCause().getMessage().contains("no rebalance job '42'"), unknown.getCause().getMessage());

        // A slow job holds its selection: an overlapping second rebalance is refused, not queued.
        CompositeData slow = rebalance(0.5, 1, false);
        RuntimeMBeanException overlap = assertThrows(RuntimeMBeanException.class, () -> rebalance(0.25, 20, false));
        assertInstanceOf(IllegalArgumentException.class, overlap.getCause());
        assertTrue(overlap.getCause().getMessage().contains("running job " + slow.get("id")), overlap.getCause().getMessage());
        CompositeData[] jobs = (CompositeData[]) client.getAttribute(DROP, "Jobs");
        assertEquals(1, jobs.length, "the refused rebalance left no job");
        client.invoke(DROP, "cancel", new Object[] {slow.get("id")}, ID);
        CompositeData end = awaitEnd();
        assertEquals("CANCELLED", end.get("state"));
        Thread.sleep(200);
        assertEquals(end.get("dropped"), clients.resets().size(), "only the slow job dropped anything");
    }

    @Test
    void closingTheRegistrationCancelsARunningJob() throws Exception {
        rebalance(1.0, 10, false);
        clients.awaitResets(2);
        jmx.registration.close();
        Thread.sleep(400);
        int atClose = clients.resets().size();
        Thread.sleep(600);
        assertEquals(atClose, clients.resets().size(), "no drop after the registration closed");
        assertTrue(atClose < 40);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rebalanceThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, rebalanceThreads(), "the job's thread ended");
    }

    private static long rebalanceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("tcpjmx-rebalance-")).count();
    }

    /** The client ends, each watched on one selector thread for the reset a drop sends it. */
    static final class ResetWatch implements AutoCloseable {
        record Reset(String peer, long nanos, boolean byRst) {
        }

        private final List<SocketChannel> channels;
        private final Selector selector;
        private final List<Reset> resets = new ArrayList<>();
        private final Thread thread;
        private volatile boolean closed;

        ResetWatch(List<SocketChannel> channels) throws IOException {
            this.channels = channels;
            this.selector = Selector.open();
            for (SocketChannel c : channels) {
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ, ((InetSocketAddress) c.getLocalAddress()).getHostString());
            }
            thread = new Thread(this::watch, "reset-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private void watch() {
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (!closed) {
                try {
                    selector.select(50);
                    for (SelectionKey k : selector.selectedKeys()) {
                        boolean rst;
                        try {
                            buf.clear();
                            int n = ((SocketChannel) k.channel()).read(buf);
                            if (n >= 0) {
                                continue;
                            }
                            rst = false;
                        } catch (IOException e) {
                            rst = true;
                        }
                        k.cancel();
                        synchronized (resets) {
                            resets.add(new Reset((String) k.attachment(), System.nanoTime(), rst));
                            resets.notifyAll();
                        }
                    }
                    selector.selectedKeys().clear();
                } catch (IOException | RuntimeException e) {
                    return;
                }
            }
        }

        List<Reset> resets() {
            synchronized (resets) {
                return List.copyOf(resets);
            }
        }

        List<Reset> awaitResets(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            synchronized (resets) {
                while (resets.size() < n) {
                    long left = deadline - System.nanoTime();
                    assertTrue(left > 0, "only " + resets.size() + " of " + n + " clients were reset within 30 s");
                    resets.wait(Math.max(1, left / 1_000_000));
                }
                return List.copyOf(resets);
            }
        }

        static Map<String, Integer> byPeer(List<Reset> resets) {
            Map<String, Integer> out = new TreeMap<>();
            for (Reset r : resets) {
                out.merge(r.peer(), 1, Integer::sum);
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            closed = true;
            thread.join(2000);
            selector.close();
            for (SocketChannel c : channels) {
                c.close();
            }
        }
    }
}
