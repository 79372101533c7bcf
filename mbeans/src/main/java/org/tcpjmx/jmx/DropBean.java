package org.tcpjmx.jmx;

import java.util.EnumSet;
import java.util.function.Supplier;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.drop.DropReport;
import org.tcpjmx.drop.RebalanceJobStatus;
import org.tcpjmx.drop.RebalanceJobs;
import org.tcpjmx.drop.TcpDropper;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;

/**
 * {@code org.tcpjmx:type=Drop}: tcpdrop(8) over JMX. Every operation returns
 * {@code {matched, dropped, failed, commands[], errors[], outcomes[]}}; {@code listOnly=true} is
 * tcpdrop's {@code -l}: nothing is dropped and {@code commands} holds the command lines. Bulk drops
 * skip listeners and the protected (management) connections; {@code drop} and {@code dropSpec}
 * drop the one connection named, as {@link TcpDropper#dropOne} does. A read-only registration refuses every operation
 * with a {@link SecurityException} saying so. Audit lines name the requester ({@link CurrentRequester}).
 *
 * <p>{@code rebalance} is a paced, fractional drop run as a background job ({@link RebalanceJobs}):
 * it returns the job at once, {@code Jobs} lists running and recent jobs, {@code cancel} stops one,
 * and a {@value #REBALANCE_ENDED} notification carries the job when it ends. Unregistering the MBean
 * (closing the registration, detaching the agent) cancels running jobs.
 */
final class DropBean extends NotifyingOpenMBean {
    static final String READ_ONLY_MESSAGE = "tcpjmx is read-only (readOnly=true): drop operations are refused";
    /** Notification type: a rebalance job ended, DONE or CANCELLED; userData is the job. */
    static final String REBALANCE_ENDED = "org.tcpjmx.rebalance.ended";
    private static final MBeanNotificationInfo[] NOTIFICATIONS = {
        new MBeanNotificationInfo(new String[] {REBALANCE_ENDED}, Notification.class.getName(),
                "A rebalance job ended (DONE or CANCELLED); userData holds the job as rebalance returns it")
    };

    /** Heap one listed command line costs until the answer has left (String, array slot, JSON text). */
    static final long COMMAND_BYTES = 512;
    /** Heap one outcome of a real drop costs in the answer (CompositeData of 4 strings, JSON object). */
    static final long OUTCOME_BYTES = 2 << 10;
    private static final Filter NOT_LISTENING = new Filter.Not(new Filter.States(EnumSet.of(TcpState.LISTEN)));

    private final TcpDropper dropper;
    private final boolean readOnly;
    private final TcpPlatform platform;
    private final AnswerBudget budget;
    private final RebalanceJobs jobs;

    DropBean(TcpJmxOptions options) {
        super("tcpdrop(8) for this host's TCP connections. Drops one by its 4-tuple, or many by state, stack or ss filter;"
                + " listOnly=true lists the tcpdrop command lines instead (tcpdrop -l)"
                + (options.readOnly() ? ". This registration is read-only: every drop is refused" : ""), TcpJmx.DROP, NOTIFICATIONS);
        this.dropper = new TcpDropper(options.platform(), options.protectedConnection());
        this.readOnly = options.readOnly();
        this.platform = options.platform();
        this.budget = options.answerBudget();
        this.jobs = new RebalanceJobs(dropper, this::ended);

        OpenParameter listOnly = new OpenParameter("listOnly",
                "true: drop nothing, return the tcpdrop command lines (tcpdrop -l); false: drop", SimpleType.BOOLEAN);
        OpenParameter state = new OpenParameter("state",
                "TCP state, any case: tcpdrop's name (TIME_WAIT, CLOSE_WAIT, ...) or ss's (time-wait, ...)",
                SimpleType.STRING);
        OpenParameter stack = new OpenParameter("stack",
                "TCP stack: on Linux the congestion-control module (cubic, bbr, reno, ...) as in tcpdrop -S", SimpleType.STRING);

        operation(OpenOperation.action("drop", "Drops the one connection with this 4-tuple (tcpdrop LADDR LPORT FADDR FPORT)",
                DropReportType.REPORT, a -> report(() -> dropper().dropOne(a.string("localAddress"),
                        Integer.toString(a.integer("localPort")), a.string("foreignAddress"),
                        Integer.toString(a.integer("foreignPort")))),
                new OpenParameter("localAddress", "Local address, numeric IPv4 or IPv6", SimpleType.STRING),
                new OpenParameter("localPort", "Local port, 1-65535", SimpleType.INTEGER),
                new OpenParameter("foreignAddress", "Foreign (remote) address, numeric IPv4 or IPv6", SimpleType.STRING),
                new OpenParameter("foreignPort", "Foreign (remote) port, 1-65535", SimpleType.INTEGER)));
        operation(OpenOperation.action("dropSpec", "Drops one connection given as tcpdrop takes it, in one string. Forms:"
                + " 'LADDR LPORT FADDR FPORT', 'LADDR:LPORT FADDR:FPORT', 'LADDR.LPORT FADDR.FPORT' or '[v6]:port ...'",
                DropReportType.REPORT, a -> report(() -> dropper().dropSpec(a.string("spec"))),
                new OpenParameter("spec", "The connection, in one of tcpdrop's two- or four-argument forms", SimpleType.STRING)));
        operation(OpenOperation.action("dropAll", "Drops every connection except listeners and protected ones (tcpdrop -a)",
                DropReportType.REPORT, a -> bulk("dropAll", Filter.ALL, a.bool("listOnly"), () -> dropper().dropAll(a.bool("listOnly"))),
                listOnly));
        operation(OpenOperation.action("dropState", "Drops every connection in one state (tcpdrop -a -s STATE)",
                DropReportType.REPORT, a -> bulk("dropState", TcpDropper.stateFilter(TcpState.parse(a.string("state"))),
                        a.bool("listOnly"), () -> dropper().dropState(TcpState.parse(a.string("state")), a.bool("listOnly"))),
                state, listOnly));
        operation(OpenOperation.action("dropStack", "Drops every connection using one stack (tcpdrop -S STACK)",
                DropReportType.REPORT, a -> bulk("dropStack", TcpDropper.stackFilter(a.string("stack")), a.bool("listOnly"),
                        () -> dropper().dropStack(a.string("stack"), a.bool("listOnly"))), stack, listOnly));
        operation(OpenOperation.action("dropStackState", "Drops every connection using one stack in one state"
                + " (tcpdrop -S STACK -s STATE)", DropReportType.REPORT,
                a -> bulk("dropStackState", new Filter.And(TcpDropper.stackFilter(a.string("stack")),
                        TcpDropper.stateFilter(TcpState.parse(a.string("state")))), a.bool("listOnly"),
                        () -> dropper().dropStackState(a.string("stack"), TcpState.parse(a.string("state")),
                                a.bool("listOnly"))), stack, state, listOnly));
        operation(OpenOperation.action("dropMatching", "Drops every connection an ss filter matches, e.g."
                + " 'state close-wait and sport = :8080' (listeners and protected connections skipped)",
                DropReportType.REPORT, a -> bulk("dropMatching", requireFilter(a.string("filter")), a.bool("listOnly"),
                        () -> dropper().dropMatching(requireFilter(a.string("filter")), a.bool("listOnly"))),
                new OpenParameter("filter", "ss filter, not empty (dropAll drops everything). States, sport/dport,"
                        + " src/dst, and/or/not, 'owned', 'stack NAME'", SimpleType.STRING), listOnly));

        operation(OpenOperation.action("rebalance", "Paced, fractional drop of each peer's connections, as a background job"
                + " returned at once. Among the connections an ss filter matches (never listeners nor protected"
                + " connections), selects round(fraction x count) of each peer's (remote address's) at random and drops"
                + " them about perSecond a second with jitter. listOnly=true: returns the tcpdrop lines of the selection, drops nothing."
                + " A rebalance overlapping a running job's selection is refused", RebalanceJobType.JOB,
                a -> rebalance(a.string("filter"), a.decimal("fraction"), a.integer("perSecond"), a.bool("listOnly")),
                new OpenParameter("filter", "ss filter, e.g. 'sport = :8080'; empty for every connection", SimpleType.STRING),
                new OpenParameter("fraction", "Share of each peer's connections to drop, in (0, 1]: 0.33 a third,"
                        + " 1.0 a paced drain", SimpleType.DOUBLE),
                new OpenParameter("perSecond", "Drops per second, 1-" + RebalanceJobs.MAX_RATE
                        + "; 0: as fast as possible", SimpleType.INTEGER),
                listOnly));
        operation(OpenOperation.action("cancel", "Cancels a rebalance job: it drops nothing more; returns the job",
                RebalanceJobType.JOB, a -> {
                    requireWritable();
                    return RebalanceJobType.of(jobs.cancel(a.string("id")));
                }, new OpenParameter("id", "The job's id, as rebalance returned it", SimpleType.STRING)));
        attribute(OpenAttribute.readOnly("Jobs", "Rebalance jobs running and the last " + RebalanceJobs.KEPT
                + " ended, oldest first", RebalanceJobType.JOBS, ctx -> RebalanceJobType.of(jobs.jobs())));
    }

    private CompositeData rebalance(String filter, double fraction, int perSecond, boolean listOnly) {
        requireWritable();
        Filter parsed = filter.isBlank() ? Filter.ALL : FilterParser.parseForDrop(filter);
        return RebalanceJobType.of(jobs.rebalance(parsed, filter.trim(), fraction, perSecond, listOnly,
                CurrentRequester.get()));
    }

    private void ended(RebalanceJobStatus job) {
        Notification n = notification(REBALANCE_ENDED, "rebalance job " + job.id() + " " + job.state() + ": " + job.dropped() + " of " + job.selected()
                        + " dropped, " + job.notFound() + " gone before their turn, " + job.failed() + " failed");
        n.setUserData(RebalanceJobType.of(job));
        send(n);
    }

    private void requireWritable() {
        if (readOnly) {
            throw new SecurityException(READ_ONLY_MESSAGE);
        }
    }

    /** The dropper acting for whoever made the call on this thread, so that its audit lines name them. */
    private TcpDropper dropper() {
        return dropper.by(CurrentRequester.get());
    }

    private CompositeData report(Supplier<DropReport> drop) {
        if (readOnly) {
            throw new SecurityException(READ_ONLY_MESSAGE);
        }
        return DropReportType.of(drop.get(), Integer.MAX_VALUE);
    }

    /**
     * A drop of many connections, counted first. A list that would not fit the answer budget is
     * refused before anything is listed; a real drop is never refused for its size (the sockets
     * matter more than the report): its counts stay whole and its outcomes and errors are cut to
     * what the budget holds, an error line saying so (the audit log has every line).
     */
    private CompositeData bulk(String what, Filter selection, boolean listOnly, Supplier<DropReport> drop) {
        if (readOnly) {
            throw new SecurityException(READ_ONLY_MESSAGE);
        }
        try (AnswerBudget.Turn turn = budget.turn(what)) {
            long matched = platform.histogram(new Filter.And(NOT_LISTENING, selection)).total();
            if (listOnly) {
                long fit = budget.rowsFitting(COMMAND_BYTES);
                long slack = Math.max(0, Math.min(Math.max(16, matched / 50), fit - matched));
                turn.reserve(matched, slack, COMMAND_BYTES, matched + " connections match (listeners excepted)",
                        "Narrow the selection (dropMatching with an ss filter, e.g. by sport or dport ranges), or list"
                        + " the rows page by page with Connections.queryPage, whose tcpdrop column is each command line");
                DropReport r = drop.get();
                if (r.commands().size() > matched + slack) {
                    throw new IllegalStateException(what + ": the table grew by more than " + slack
                            + " connections between counting (" + matched + ") and listing; ask again");
                }
                return DropReportType.of(r, Integer.MAX_VALUE);
            }
            long kept = Math.min(matched + Math.max(16, matched / 50), budget.rowsFitting(OUTCOME_BYTES));
            turn.reserve(kept, 0, OUTCOME_BYTES, matched + " connections match", "");
            return DropReportType.of(drop.get(), (int) Math.min(Integer.MAX_VALUE, kept));
        }
    }

    /** An empty filter would match everything: make that an explicit dropAll, never an accident. */
    private static Filter requireFilter(String filter) {
        if (filter.isBlank()) {
            throw new IllegalArgumentException("dropMatching needs a filter; an empty one would match every connection"
                    + " (use dropAll for that)");
        }
        return FilterParser.parseForDrop(filter);
    }

    /** Unregistered (the registration closed, the agent detached): cancel the running jobs. */
    @Override
    protected void stop() {
        jobs.close();
    }
}
