package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;

/**
 * The shared snapshot honours its maximum age: within it readers get the same walk's figures (a
 * socket opened since is not in them), past it a new walk, and concurrent readers share one walk.
 * Real platform, real sockets; walks as the platform counts them.
 */
class TableSnapshotsTest {
    private final TcpPlatform platform = TcpPlatforms.open();
    private final TableSnapshots snapshots = new TableSnapshots(new TcpHistograms(platform), 100);

    @Test
    void withinItsAgeTheSnapshotIsServedAndASocketOpenedSinceIsNotInIt() throws Exception {
        snapshots.setMaxAgeMillis(60_000);
        // The farm reads the table through a platform of its own (checking its listener's port):
        // only the snapshots' walks are counted.
        try (LoopbackConnections farm = new LoopbackConnections(TcpPlatforms.open())) {
            long walks = platform.tableWalks();
            TableSnapshot first = snapshots.get();
            farm.listenerPort(Flavor.IPV4); // a listener of this JVM's, opened after the walk
            TableSnapshot again = snapshots.get();
            assertSame(first, again, "within the maximum age");
            assertEquals(1, platform.tableWalks() - walks, "one walk for both reads");
            assertTrue(again.ageMillis(System.nanoTime()) >= 0);

            snapshots.setMaxAgeMillis(0);
            TableSnapshot fresh = snapshots.get();
            assertNotSame(first, fresh);
            assertEquals(2, platform.tableWalks() - walks);
            assertEquals(first.own().count(TcpState.LISTEN) + 1, fresh.own().count(TcpState.LISTEN),
                    "the new walk sees this JVM's new listener, the served snapshot did not");
            assertTrue(fresh.timeMillis() >= first.timeMillis());
        }
    }

    @Test
    void pastItsAgeTheSnapshotIsTakenAgain() throws Exception {
        snapshots.setMaxAgeMillis(50);
        snapshots.setWalkBudgetPercent(0); // the maximum age alone decides
        TableSnapshot first = snapshots.get();
        while (first.ageMillis(System.nanoTime()) <= 50) {
            Thread.sleep(10);
        }
        long walks = platform.tableWalks();
        TableSnapshot second = snapshots.get();
        assertNotSame(first, second, "older than 50 ms: walked again");
        assertEquals(1, platform.tableWalks() - walks);
        assertSame(second, snapshots.latest());
    }

    @Test
    void concurrentReadersShareOneWalk() throws Exception {
        snapshots.setMaxAgeMillis(60_000);
        int readers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<TableSnapshot>> got = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                got.add(pool.submit(() -> {
                    start.await();
                    return snapshots.get();
                }));
            }
            long walks = platform.tableWalks();
            start.countDown();
            TableSnapshot one = got.get(0).get(60, TimeUnit.SECONDS);
            for (Future<TableSnapshot> f : got) {
                assertSame(one, f.get(60, TimeUnit.SECONDS), "every reader got the one walk's figures");
            }
            assertEquals(1, platform.tableWalks() - walks, readers + " readers at once, one walk");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withSharingOffEveryReadWalks() {
        snapshots.setMaxAgeMillis(0);
        long walks = platform.tableWalks();
        assertNotSame(snapshots.get(), snapshots.get());
        assertEquals(2, platform.tableWalks() - walks);
    }

    @Test
    void aSnapshotCountsOnePortsSocketsWithTheHistogramFromTheSameWalk() throws Exception {
        try (LoopbackConnections farm = new LoopbackConnections(platform)) {
            LoopbackConnections.Pair p = farm.established(Flavor.IPV4);
            TableSnapshot s = new TcpHistograms(platform).snapshot(100);
            for (TcpState st : TcpState.values()) {
                assertTrue(s.own().count(st) <= s.all().count(st), st + ": this JVM's sockets are among the host's");
            }
            assertTrue(s.own().count(TcpState.ESTABLISHED) >= 2, "both ends are this JVM's: " + s.own());
            assertTrue(s.byListeningPort().size() <= 100);
            var ours = s.byListeningPort().get(p.listenerPort());
            if (ours != null) {
                assertTrue(ours.count(TcpState.LISTEN) >= 1 && ours.count(TcpState.ESTABLISHED) >= 1, ours.toString());
            }
            assertTrue(s.walkNanos() > 0);
        }
    }

    @Test
    void aWalkThatCostMuchCpuIsServedLongerWithinTheBudget() {
        // Clocks the test moves: each walk costs 100 ms of CPU, so at 2% of a core it is served 5 s.
        long[] now = {System.nanoTime()}; // ages compare it with the walks' real System.nanoTime() starts
        long[] cpu = {0};
        long[] step = {100_000_000L}; // the CPU clock moves one step between its reads before and after a walk
        TableSnapshots budgeted = new TableSnapshots(new TcpHistograms(platform), 10, () -> now[0], () -> cpu[0] += step[0]);
        assertEquals(TableSnapshots.DEFAULT_WALK_BUDGET_PERCENT, budgeted.walkBudgetPercent());
        budgeted.setWalkBudgetPercent(2);
        long walks = platform.tableWalks();
        TableSnapshot first = budgeted.get();
        assertEquals(5_000, budgeted.servedAgeMillis(), "100 ms of CPU at 2% of one core: one walk per 5 s");
        now[0] = first.startNanos() + 4_000_000_000L;
        assertSame(first, budgeted.get(), "4 s old, past the 1 s maximum age, within the budget");
        assertEquals(1, platform.tableWalks() - walks);
        now[0] = first.startNanos() + 5_001_000_000L;
        assertNotSame(first, budgeted.get(), "past what the budget asks");
        assertEquals(2, platform.tableWalks() - walks);

        budgeted.setWalkBudgetPercent(0);
        assertEquals(TableSnapshots.DEFAULT_MAX_AGE_MILLIS, budgeted.servedAgeMillis(), "no budget: the maximum age alone");
        budgeted.setWalkBudgetPercent(1);
        budgeted.setMaxAgeMillis(0);
        assertEquals(0, budgeted.servedAgeMillis(), "sharing off is off, whatever the budget");
        budgeted.setMaxAgeMillis(1_000);
        step[0] = 10_000_000_000L; // a walk of 10 s CPU: 1000 s at 1%, capped
        now[0] = first.startNanos() + 20_000_000_000L;
        budgeted.get();
        assertEquals(TableSnapshots.MAX_MAX_AGE_MILLIS, budgeted.servedAgeMillis(), "never served older than the cap");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> budgeted.setWalkBudgetPercent(101));
        assertTrue(e.getMessage().contains("101") && e.getMessage().contains("100"), e.getMessage());
    }

    @Test
    void theMaximumAgeIsBoundedAndTheErrorSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> snapshots.setMaxAgeMillis(-5));
        assertTrue(e.getMessage().contains("-5") && e.getMessage().contains("60000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> snapshots.setMaxAgeMillis(60_001));
        assertEquals(TableSnapshots.DEFAULT_MAX_AGE_MILLIS, new TableSnapshots(new TcpHistograms(platform), 1).maxAgeMillis());
    }
}
