package org.tcpjmx.jmx;

import java.util.List;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.drop.RebalanceJobStatus;

/**
 * The open type of a rebalance job: {@code {id, filter, fraction, perSecond, matched, selected, state,
 * dropped, notFound, failed, started, expectedEnd, ended, requester, commands[], errors[]}}, as
 * {@code rebalance} and {@code cancel} return it, {@code Jobs} lists it and the end notification carries it.
 */
final class RebalanceJobType {
    private static final String[] ITEMS = {"id", "filter", "fraction", "perSecond", "matched", "selected", "state",
        "dropped", "notFound", "failed", "started", "expectedEnd", "ended", "requester", "commands", "errors"};
    static final CompositeType JOB;
    static final ArrayType<CompositeData[]> JOBS;

    static {
        try {
            JOB = new CompositeType("org.tcpjmx.RebalanceJob", "A paced, fractional drop and how far it got", ITEMS,
                    new String[] {"The job's id, for cancel; empty for a listOnly answer (no job runs)",
                        "The ss filter as given; empty for every connection",
                        "Share of each peer's (remote address's) connections selected, in (0, 1]",
                        "Drops per second asked for; 0: as fast as possible",
                        "Connections the filter matched (listeners and protected connections not counted)",
                        "Connections selected: per peer round(fraction x count), half up",
                        "RUNNING, DONE or CANCELLED",
                        "Connections dropped so far",
                        "Selected connections gone before their turn (not failures)",
                        "Selected connections not dropped: refused, not permitted, unsupported or failed",
                        "When the job began, epoch milliseconds",
                        "When the last drop is due at the pace asked for, epoch milliseconds",
                        "When the job ended, epoch milliseconds; -1 while it runs",
                        "Who asked, as the audit lines name them",
                        "With listOnly: one 'tcpdrop LADDR LPORT FADDR FPORT' line per selected connection; else empty",
                        "One message per failed connection, tcpdrop style (the first 100)"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.DOUBLE, SimpleType.INTEGER,
                        SimpleType.INTEGER, SimpleType.INTEGER, SimpleType.STRING, SimpleType.INTEGER, SimpleType.INTEGER,
                        SimpleType.INTEGER, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.STRING,
                        ArrayType.getArrayType(SimpleType.STRING), ArrayType.getArrayType(SimpleType.STRING)});
            JOBS = ArrayType.getArrayType(JOB);
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RebalanceJobType() {
    }

    static CompositeData of(RebalanceJobStatus j) {
        try {
            return new CompositeDataSupport(JOB, ITEMS, new Object[] {j.id(), j.filter(), j.fraction(), j.perSecond(),
                j.matched(), j.selected(), j.state().name(), j.dropped(), j.notFound(), j.failed(), j.started(),
                j.expectedEnd(), j.ended(), j.requester(), j.commands().toArray(new String[0]),
                j.errors().toArray(new String[0])});
        } catch (OpenDataException e) {
            throw new IllegalStateException("rebalance job does not fit its open type: " + e.getMessage(), e);
        }
    }

    static CompositeData[] of(List<RebalanceJobStatus> jobs) {
        CompositeData[] out = new CompositeData[jobs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = of(jobs.get(i));
        }
        return out;
    }
}
