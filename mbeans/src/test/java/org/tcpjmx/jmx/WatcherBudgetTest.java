package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * The watcher's own walks keep to the walk budget: a sample that cost C of CPU is followed by the
 * next one no sooner than C spread over the budget, capped, and never sooner than the interval.
 * The samples are real (the host's table); only the CPU clock is made up, so the cost is known.
 */
class WatcherBudgetTest {
    private static final TcpPlatform PLATFORM = TcpPlatforms.open();
    private static final long SAMPLE_CPU_NANOS = 1_500_000_000L;

    /** Advances by {@link #SAMPLE_CPU_NANOS} on every reading: each sample costs exactly that. */
    private static final class SteppingClock {
        final AtomicLong now = new AtomicLong();

        long read() {
            return now.addAndGet(SAMPLE_CPU_NANOS);
        }
    }

    @Test
    void aCostlySampleSpacesTheNextOneByTheBudget() throws Exception {
        AtomicInteger budget = new AtomicInteger(3);
        SteppingClock cpu = new SteppingClock();
        try (StateWatcher w = new StateWatcher(PLATFORM, (watch, n, t, up) -> { }, () -> null, budget::get, cpu::read)) {
            assertEquals(StateWatcher.DEFAULT_INTERVAL_MILLIS, w.servedIntervalMillis(), "before any sample: the interval");
            w.setThreshold(StateWatcher.Watch.TIME_WAIT, 1_000_000_000L);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (w.lastSampleMillis() < 0) {
                assertTrue(System.nanoTime() < deadline, "the watcher never sampled");
                Thread.sleep(10);
            }
            assertEquals(50_000, w.servedIntervalMillis(), "1.5 s of CPU at a 3% budget: one sample per 50 s");
            budget.set(2);
            assertEquals(StateWatcher.MAX_SERVED_INTERVAL_MILLIS, w.servedIntervalMillis(), "75 s at 2%, capped");
            budget.set(0);
            assertEquals(StateWatcher.DEFAULT_INTERVAL_MILLIS, w.servedIntervalMillis(), "no budget: the interval alone");
            budget.set(2);
            w.setIntervalMillis(StateWatcher.MAX_INTERVAL_MILLIS);
            assertEquals(StateWatcher.MAX_INTERVAL_MILLIS, w.servedIntervalMillis(), "an interval longer than the cap stays");
        }
    }
}
