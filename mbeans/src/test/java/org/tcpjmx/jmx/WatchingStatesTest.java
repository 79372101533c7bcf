package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * The watcher, seen from a remote JMX client: a CLOSE_WAIT leak in this JVM crossing the threshold
 * an operator set is notified (and its end too), the sampling thread lives only while something is
 * watched, and connections get a first-seen time while tracking is on.
 */
class WatchingStatesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectName STATES = TcpJmx.STATES;
    private static final String[] STRING_INT = {"java.lang.String", "java.lang.Integer"};
    private static final TcpPlatform PLATFORM = TcpPlatforms.open();
    private static RemoteJmx jmx;
    private static MBeanServerConnection client;
    private LoopbackConnections farm;

    @BeforeAll
    static void start() throws Exception {
        jmx = new RemoteJmx(TcpJmxOptions.of(PLATFORM));
        client = jmx.connection;
    }

    @AfterAll
    static void stop() throws Exception {
        jmx.close();
        assertTrue(watcherThreads().isEmpty(), "closing the registration stops the watcher: " + watcherThreads());
    }

    @AfterEach
    void reset() throws Exception {
        for (String a : List.of("OwnCloseWaitThreshold", "CloseWaitThreshold", "TimeWaitThreshold")) {
            client.setAttribute(STATES, new Attribute(a, 0L));
        }
        client.setAttribute(STATES, new Attribute("TrackFirstSeen", false));
        if (farm != null) {
            farm.close();
        }
    }

    private static List<Thread> watcherThreads() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(StateWatcher.THREAD_NAME) && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened within " + WAIT + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    private static long ownCloseWait() throws Exception {
        return (Long) ((CompositeData) client.getAttribute(STATES, "OwnHistogram")).get("CLOSE_WAIT");
    }

    @Test
    void aCloseWaitLeakCrossingTheThresholdIsNotifiedAndSoIsItsEnd() throws Exception {
        farm = new LoopbackConnections(PLATFORM);
        BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
        NotificationListener listener = (n, handback) -> received.add(n);
        client.addNotificationListener(STATES, listener, null, null);
        long before = ownCloseWait();
        client.setAttribute(STATES, new Attribute("SampleIntervalMillis", 100L));
        client.setAttribute(STATES, new Attribute("OwnCloseWaitThreshold", before + 2));
        assertEquals(before + 2, client.getAttribute(STATES, "OwnCloseWaitThreshold"));

        // A server that never closes what its clients closed: three sockets in CLOSE_WAIT.
        List<Pair> leaks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leaks.add(farm.closeWait(Flavor.V4_MAPPED));
        }
        Notification exceeded = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(exceeded, "no notification within " + WAIT);
        assertEquals("org.tcpjmx.threshold.exceeded", exceeded.getType());
        assertEquals(STATES, exceeded.getSource());
        CompositeData data = (CompositeData) exceeded.getUserData();
        assertEquals("OwnCloseWait", data.get("watch"));
        assertEquals("CLOSE_WAIT", data.get("state"));
        assertEquals(before + 2, data.get("threshold"));
        assertTrue((Long) data.get("count") >= before + 3, data.toString());
        assertTrue(exceeded.getMessage().contains("CLOSE_WAIT") && exceeded.getMessage().contains("threshold"),
                exceeded.getMessage());

        // The application finally closes them: the count falls back and that is notified too.
        for (Pair p : leaks) {
            p.server().close();
        }
        Notification cleared = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(cleared, "no cleared notification within " + WAIT);
        assertEquals("org.tcpjmx.threshold.cleared", cleared.getType());
        assertTrue((Long) ((CompositeData) cleared.getUserData()).get("count") <= before + 2, cleared.getUserData().toString());
        assertTrue(cleared.getSequenceNumber() > exceeded.getSequenceNumber());
        client.removeNotificationListener(STATES, listener);
    }

    @Test
    void theWatcherThreadRunsOnlyWhileSomethingIsWatched() throws Exception {
        assertTrue(watcherThreads().isEmpty(), "no watcher before a threshold is set: " + watcherThreads());
        assertEquals(false, client.getAttribute(STATES, "Watching"));

        client.setAttribute(STATES, new Attribute("TimeWaitThreshold", 1_000_000L));
        assertEquals(true, client.getAttribute(STATES, "Watching"));
        List<Thread> threads = watcherThreads();
        assertEquals(1, threads.size(), threads.toString());
        assertTrue(threads.get(0).isDaemon());
        await(() -> lastSample() > 0, "a first sample");
        // The same moment in words for JConsole: LastSample is read after LastSampleTime, so it is that sample or a later one.
        long millis = lastSample();
        long shown = java.time.Instant.parse((String) client.getAttribute(STATES, "LastSample")).toEpochMilli();
        assertTrue(shown >= millis, shown + " vs " + millis);

        client.setAttribute(STATES, new Attribute("TimeWaitThreshold", -5L));
        assertEquals(0L, client.getAttribute(STATES, "TimeWaitThreshold"), "negative means off");
        await(() -> watcherThreads().isEmpty(), "the watcher ends once nothing is watched");
        assertEquals(false, client.getAttribute(STATES, "Watching"));

        // Another registration's watcher stops when it is closed, without waiting for its interval.
        MBeanServer other = MBeanServerFactory.newMBeanServer();
        TcpJmx.Registration r = TcpJmx.register(other, TcpJmxOptions.of(PLATFORM));
        other.setAttribute(STATES, new Attribute("CloseWaitThreshold", 1_000_000L));
        assertEquals(1, watcherThreads().size());
        r.close();
        assertTrue(watcherThreads().isEmpty(), "close() joins the watcher: " + watcherThreads());

        // An MBean server user that unregisters States by name stops its watcher too.
        TcpJmx.Registration again = TcpJmx.register(other, TcpJmxOptions.of(PLATFORM));
        other.setAttribute(STATES, new Attribute("OwnCloseWaitThreshold", 1_000_000L));
        assertEquals(1, watcherThreads().size());
        other.unregisterMBean(STATES);
        assertTrue(watcherThreads().isEmpty(), "unregistering States stops the watcher: " + watcherThreads());
        again.close();
    }

    private static long lastSample() {
        try {
            return (Long) client.getAttribute(STATES, "LastSampleTime");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void connectionsGetAFirstSeenTimeWhileTracking() throws Exception {
        farm = new LoopbackConnections(PLATFORM);
        long created = System.currentTimeMillis();
        Pair p = farm.established(Flavor.IPV4);
        String filter = p.clientFilter();
        assertEquals(-1L, firstSeen(filter), "unknown while not tracking");

        client.setAttribute(STATES, new Attribute("SampleIntervalMillis", 100L));
        client.setAttribute(STATES, new Attribute("TrackFirstSeen", true));
        await(() -> firstSeenUnchecked(filter) != -1L, "a first-seen time for " + p.clientTuple());
        long seen = firstSeen(filter);
        assertTrue(seen >= created && seen <= System.currentTimeMillis(), created + " <= " + seen);

        long sample = lastSample();
        await(() -> lastSample() > sample, "another sample");
        assertEquals(seen, firstSeen(filter), "the first sighting stays the first");

        client.setAttribute(STATES, new Attribute("TrackFirstSeen", false));
        await(() -> firstSeenUnchecked(filter) == -1L, "first-seen times forgotten once tracking stops");
    }

    private static long firstSeen(String filter) throws Exception {
        CompositeData[] rows = (CompositeData[]) client.invoke(TcpJmx.CONNECTIONS, "query", new Object[] {filter, 0}, STRING_INT);
        assertEquals(1, rows.length, filter);
        return (Long) rows[0].get("firstSeen");
    }

    private static long firstSeenUnchecked(String filter) {
        try {
            return firstSeen(filter);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void thresholdAttributesDescribeTheirNotifications() throws Exception {
        var info = client.getMBeanInfo(STATES);
        for (var a : info.getAttributes()) {
            if (a.getName().endsWith("Threshold")) {
                assertTrue(a.isWritable(), a.getName());
                assertTrue(a.getDescription().contains("org.tcpjmx.threshold.exceeded"), a.getDescription());
            }
        }
        assertFalse(info.getNotifications().length == 0);
    }

    @Test
    void aSampleCountsFromASnapshotAReaderTookWithinTheInterval() throws Exception {
        try {
            client.setAttribute(STATES, new Attribute("SampleIntervalMillis", 3_600_000L));
            client.setAttribute(STATES, new Attribute("SnapshotMaxAgeMillis", 60_000L));
            client.setAttribute(STATES, new Attribute("CloseWaitThreshold", 1_000_000_000L));
            await(() -> lastSample() > 0, "a first sample");
            long first = lastSample();
            client.getAttribute(STATES, "Histogram"); // a reader's snapshot, taken after the threshold was set
            long walks = (Long) client.getAttribute(STATES, "TableWalks");
            client.setAttribute(STATES, new Attribute("SampleIntervalMillis", 3_599_999L)); // wakes the watcher
            await(() -> lastSample() > first, "a second sample");
            assertEquals(walks, (Long) client.getAttribute(STATES, "TableWalks"), "the sample counted from the reader's snapshot");
        } finally {
            client.setAttribute(STATES, new Attribute("SampleIntervalMillis", StateWatcher.DEFAULT_INTERVAL_MILLIS));
            client.setAttribute(STATES, new Attribute("SnapshotMaxAgeMillis", 1_000L));
        }
    }
}
