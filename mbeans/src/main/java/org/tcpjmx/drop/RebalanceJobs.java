package org.tcpjmx.drop;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.Requester;
import org.tcpjmx.model.TcpConnection;

/**
 * Paced, fractional drops: the rebalance engine behind {@code org.tcpjmx:type=Drop}'s
 * {@code rebalance}. Among the connections a filter matches (never a listener, never a protected
 * management connection), it selects {@code round(fraction × count)} of each peer's at random and
 * drops them on a background job paced at about {@code perSecond}, so that clients leaving an
 * instance reconnect spread out instead of in a storm.
 *
 * <p>Bounds, so that a rebalance cannot hurt the host: at most {@value #MAX_RUNNING} jobs run at
 * once, one daemon thread each; at most {@value #MAX_SELECTED} connections per job; the last
 * {@value #KEPT} ended jobs are kept for {@link #jobs()}. A second rebalance whose filter matches a
 * connection a running job has still to drop is refused (not queued): two jobs dropping from the
 * same clients would add up to more than either fraction asked, and queueing would select from a
 * table the first job is still changing. {@link #close()} cancels every running job.
 */
public final class RebalanceJobs implements AutoCloseable {
    /** The highest {@code perSecond}: faster than this is no pacing (use 0, as fast as possible). */
    public static final int MAX_RATE = 10_000;
    public static final int MAX_RUNNING = 4;
    public static final int MAX_SELECTED = 100_000;
    public static final int KEPT = 16;

    private final TcpDropper dropper;
    private final Consumer<RebalanceJobStatus> onEnd;
    private final Random random = new SecureRandom();
    private final Deque<RebalanceJob> jobs = new ArrayDeque<>();
    private long nextId = 1;
    private boolean closed;

    /**
     * @param dropper the drop engine (its protection predicate applies); each job acts as {@code by(requester)}
     * @param onEnd told once per job when it ends (DONE or CANCELLED), on the job's thread; must not throw
     */
    public RebalanceJobs(TcpDropper dropper, Consumer<RebalanceJobStatus> onEnd) {
        if (dropper == null || onEnd == null) {
            throw new IllegalArgumentException("a rebalance engine needs a dropper and an end listener");
        }
        this.dropper = dropper;
        this.onEnd = onEnd;
    }

    /**
     * Selects and, unless {@code listOnly}, starts dropping. Returns at once.
     *
     * @param filter the parsed filter ({@link Filter#ALL} for every connection)
     * @param filterText the filter as given, for the job's status
     * @param fraction share of each peer's connections, in (0, 1]; 1.0 is a paced drain
     * @param perSecond drops per second, 1-{@value #MAX_RATE}; 0 as fast as possible
     * @param listOnly select and return the {@code tcpdrop} lines in {@code commands}, drop nothing, start no job
     * @return the job as it starts (RUNNING, or DONE at once when nothing was selected), or the listing
     * @throws IllegalArgumentException for a fraction or rate out of range, a selection too large, an
     *     overlap with a running job, too many running jobs, or a closed engine; nothing is dropped
     */
    public RebalanceJobStatus rebalance(Filter filter, String filterText, double fraction, int perSecond,
                                        boolean listOnly, Requester requester) {
        if (filter == null || filterText == null || requester == null) {
            throw new IllegalArgumentException("rebalance needs a filter (Filter.ALL for every connection) and a requester");
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction " + fraction + " is outside (0, 1]: the share of each peer's"
                    + " connections to drop, e.g. 0.33 for a third, 1.0 for a paced drain");
        }
        if (perSecond < 0 || perSecond > MAX_RATE) {
            throw new IllegalArgumentException("perSecond " + perSecond + " is not a rate from 1 to " + MAX_RATE
                    + " drops per second, nor 0 (as fast as possible)");
        }
        TcpDropper by = dropper.by(requester);
        List<TcpConnection> matched = by.droppable(filter);
        List<TcpConnection> selected = RebalanceSelection.select(matched, fraction, random);
        if (selected.size() > MAX_SELECTED) {
            throw new IllegalArgumentException("the filter selects " + selected.size() + " connections, more than the "
                    + MAX_SELECTED + " one rebalance may drop; narrow the filter or lower the fraction");
        }
        if (listOnly) {
            List<String> commands = new ArrayList<>();
            for (TcpConnection c : selected) {
                commands.add(c.tcpdropCommand());
            }
            long now = System.currentTimeMillis();
            return new RebalanceJobStatus("", filterText, fraction, perSecond, matched.size(), selected.size(),
                    RebalanceState.DONE, 0, 0, 0, now, now, now, requester.describe(), commands, List.of());
        }
        RebalanceJob job;
        synchronized (this) {
            if (closed) {
                throw new IllegalArgumentException("rebalance refused: these MBeans are being unregistered");
            }
            List<RebalanceJob> running = running();
            for (RebalanceJob r : running) {
                int shared = 0;
                for (TcpConnection c : matched) {
                    if (r.holds(c)) {
                        shared++;
                    }
                }
                if (shared > 0) {
                    RebalanceJobStatus s = r.status();
                    throw new IllegalArgumentException("rebalance refused: running job " + s.id() + " (filter '"
                            + s.filter() + "', " + s.remaining() + " still to drop) holds " + shared + " of the "
                            + matched.size() + " connections this filter matches; cancel(\"" + s.id()
                            + "\") it or wait until it ends (overlapping rebalances are refused, not queued)");
                }
            }
            if (running.size() >= MAX_RUNNING) {
                throw new IllegalArgumentException("rebalance refused: " + running.size() + " jobs are running, the most"
                        + " at once; cancel one or wait until one ends");
            }
            job = new RebalanceJob(Long.toString(nextId++), filterText, fraction, perSecond, matched.size(), selected,
                    by, random, onEnd);
            jobs.addLast(job);
            trim();
        }
        RebalanceJobStatus first = job.status();
        job.start();
        return first;
    }

    /** Running and recent jobs, oldest first. */
    public synchronized List<RebalanceJobStatus> jobs() {
        List<RebalanceJobStatus> out = new ArrayList<>();
        for (RebalanceJob j : jobs) {
            out.add(j.status());
        }
        return out;
    }

    /**
     * Cancels a job: it drops nothing more. Cancelling a job that has ended changes nothing.
     *
     * @return the job as it stands (its thread may still be finishing the drop under way)
     * @throws IllegalArgumentException for an unknown id, listing the known ones
     */
    public synchronized RebalanceJobStatus cancel(String id) {
        for (RebalanceJob j : jobs) {
            if (j.id().equals(id)) {
                j.cancel();
                return j.status();
            }
        }
        List<String> known = new ArrayList<>();
        for (RebalanceJob j : jobs) {
            known.add(j.id());
        }
        throw new IllegalArgumentException("no rebalance job '" + id + "'; jobs: " + (known.isEmpty() ? "none" : known));
    }

    /** Cancels every running job and refuses new ones (detach, unregistration). */
    @Override
    public synchronized void close() {
        closed = true;
        for (RebalanceJob j : jobs) {
            j.cancel();
        }
    }

    private List<RebalanceJob> running() {
        List<RebalanceJob> out = new ArrayList<>();
        for (RebalanceJob j : jobs) {
            if (j.running()) {
                out.add(j);
            }
        }
        return out;
    }

    /** Forgets the oldest ended jobs beyond {@link #KEPT}; running ones are never forgotten. */
    private void trim() {
        int ended = jobs.size() - running().size();
        var it = jobs.iterator();
        while (ended > KEPT && it.hasNext()) {
            if (!it.next().running()) {
                it.remove();
                ended--;
            }
        }
    }
}
