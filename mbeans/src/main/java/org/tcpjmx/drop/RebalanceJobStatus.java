package org.tcpjmx.drop;

import java.util.List;

/**
 * A rebalance job as it stands: what it selected, how far it got. Immutable; the job hands out a
 * fresh one on each look. A connection gone before its turn (the client closed it, or it was
 * dropped by someone else) is {@code notFound}, never {@code failed}.
 *
 * @param id the job's id, for {@code cancel}; empty for a {@code listOnly} answer, which is no job
 * @param filter the ss filter as given ("" for every connection)
 * @param fraction the share of each peer's connections selected, in (0, 1]
 * @param perSecond the pace asked for; 0 as fast as possible
 * @param matched connections the filter matched (listeners and protected connections not counted)
 * @param selected connections chosen to drop: per peer {@code round(fraction × count)}, half up
 * @param state RUNNING, DONE or CANCELLED ({@code listOnly}: DONE at once)
 * @param dropped connections dropped so far
 * @param notFound selected connections that were gone by their turn
 * @param failed selected connections the kernel did not drop (refused, not permitted, unsupported, failed)
 * @param started when the job began, epoch milliseconds
 * @param expectedEnd when the last drop is due at the pace asked for, epoch milliseconds
 * @param ended when the job ended, epoch milliseconds; -1 while it runs
 * @param requester who asked, as audit lines name them
 * @param commands with {@code listOnly}: the {@code tcpdrop} lines of the selection; else empty
 * @param errors one message per failed connection, tcpdrop style (at most {@value RebalanceJob#MAX_ERRORS})
 */
public record RebalanceJobStatus(String id, String filter, double fraction, int perSecond, int matched, int selected,
                                 RebalanceState state, int dropped, int notFound, int failed, long started,
                                 long expectedEnd, long ended, String requester, List<String> commands,
                                 List<String> errors) {
    public RebalanceJobStatus {
        commands = List.copyOf(commands);
        errors = List.copyOf(errors);
    }

    /** Selected connections not yet had their turn. */
    public int remaining() {
        return selected - dropped - notFound - failed;
    }

    /** Whether every selected connection had its turn and none failed: the CLI's exit status 0. */
    public boolean succeeded() {
        return state == RebalanceState.DONE && failed == 0;
    }
}
