package org.tcpjmx.drop;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.model.TcpConnection;

/**
 * One paced drop: the selected connections dropped one at a time on a daemon thread of its own,
 * {@code 1/perSecond} apart with ±25% jitter (so that clients told to reconnect do not come back in
 * lockstep), each drop audited as it happens. Cancelling wakes the thread at once; the connections
 * not yet reached are left alone.
 */
final class RebalanceJob {
    private static final Logger LOG = LoggerFactory.getLogger(RebalanceJob.class);
    /** Errors kept per job; the audit log has every one. */
    static final int MAX_ERRORS = 100;
    static final String THREAD_PREFIX = "tcpjmx-rebalance-";

    private final String id;
    private final String filter;
    private final double fraction;
    private final int perSecond;
    private final int matched;
    /** Released when the job ends, so that a kept job holds its figures only. */
    private volatile List<TcpConnection> selection;
    private final int selected;
    private final TcpDropper dropper;
    private final Random random;
    private final long started = System.currentTimeMillis();
    private final long expectedEnd;
    /** The selected connections not yet attempted, by identity: what a second rebalance must not touch. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final List<String> errors = new ArrayList<>();
    private final Consumer<RebalanceJobStatus> onEnd;
    private int dropped;
    private int notFound;
    private int failed;
    private RebalanceState state = RebalanceState.RUNNING;
    private long ended = -1;

    RebalanceJob(String id, String filter, double fraction, int perSecond, int matched, List<TcpConnection> selection,
                 TcpDropper dropper, Random random, Consumer<RebalanceJobStatus> onEnd) {
        this.id = id;
        this.filter = filter;
        this.fraction = fraction;
        this.perSecond = perSecond;
        this.matched = matched;
        this.selection = List.copyOf(selection);
        this.selected = selection.size();
        this.dropper = dropper;
        this.random = random;
        this.onEnd = onEnd;
        this.expectedEnd = started + (perSecond <= 0 || selection.isEmpty() ? 0
                : Math.round((selection.size() - 1) * 1000.0 / perSecond));
        for (TcpConnection c : selection) {
            pending.add(DropOutcomes.identity(c));
        }
    }

    String id() {
        return id;
    }

    /** Starts the job's one daemon thread. */
    void start() {
        Thread t = new Thread(this::run, THREAD_PREFIX + id);
        t.setDaemon(true);
        t.start();
    }

    /** Whether a connection is among those this job has still to drop. */
    boolean holds(TcpConnection c) {
        return pending.contains(DropOutcomes.identity(c));
    }

    synchronized boolean running() {
        return state == RebalanceState.RUNNING;
    }

    /** Stops the job before its next drop; a job already ended stays as it ended. */
    void cancel() {
        cancelled.countDown();
    }

    private void run() {
        long intervalNanos = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
        List<TcpConnection> todo = selection;
        try {
            for (int i = 0; i < todo.size(); i++) {
                if (i > 0 && intervalNanos > 0) {
                    long delay = (long) (intervalNanos * (0.75 + 0.5 * random.nextDouble()));
                    if (cancelled.await(delay, TimeUnit.NANOSECONDS)) {
                        break;
                    }
                } else if (cancelled.getCount() == 0) {
                    break;
                }
                TcpConnection c = todo.get(i);
                DropOutcome o = dropper.dropAudited(c);
                pending.remove(DropOutcomes.identity(c));
                count(o);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // A bug or a dead platform: end the job (cancelled) rather than leave it RUNNING forever.
            LOG.warn("rebalance job {} stopped: {}", id, e.toString(), e);
            cancelled.countDown();
        }
        RebalanceJobStatus end;
        synchronized (this) {
            state = cancelled.getCount() == 0 && remainingLocked() > 0 ? RebalanceState.CANCELLED : RebalanceState.DONE;
            ended = System.currentTimeMillis();
            end = statusLocked();
        }
        pending.clear();
        selection = List.of();
        LOG.info("rebalance job {} {}: {} selected of {} matched, {} dropped, {} gone before their turn, {} failed, by {}",
                id, end.state(), end.selected(), end.matched(), end.dropped(), end.notFound(), end.failed(), end.requester());
        onEnd.accept(end);
    }

    private synchronized void count(DropOutcome o) {
        switch (o.status()) {
            case DROPPED:
                dropped++;
                break;
            case NOT_FOUND:
                notFound++;
                break;
            default:
                failed++;
                if (errors.size() < MAX_ERRORS) {
                    errors.add(o.message());
                }
                break;
        }
    }

    private int remainingLocked() {
        return selected - dropped - notFound - failed;
    }

    synchronized RebalanceJobStatus status() {
        return statusLocked();
    }

    private RebalanceJobStatus statusLocked() {
        return new RebalanceJobStatus(id, filter, fraction, perSecond, matched, selected, state, dropped,
                notFound, failed, started, expectedEnd, ended, dropper.requester().describe(), List.of(), errors);
    }
}
