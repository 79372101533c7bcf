package org.tcpjmx.jmx;

import java.util.Optional;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.TcpSocketCounters;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TableSnapshot;
import org.tcpjmx.platform.TableSnapshots;
import org.tcpjmx.platform.TcpHistograms;
import org.tcpjmx.platform.TcpPlatform;

/**
 * {@code org.tcpjmx:type=States}: the state histogram of the host and of this JVM, one attribute
 * per state for charting, breakdowns by port and by remote address, the kernel's own socket
 * counters, and the watcher's thresholds with their notifications. Every figure of the table comes
 * from a {@link TableSnapshot}: one walk serves all attributes read together, and for
 * {@code SnapshotMaxAgeMillis} every reader; the counters need no walk.
 */
final class StatesBean extends NotifyingOpenMBean {
    /** Notification type: a watched count rose above its threshold. */
    static final String THRESHOLD_EXCEEDED = "org.tcpjmx.threshold.exceeded";
    /** Notification type: a watched count fell back to its threshold or below. */
    static final String THRESHOLD_CLEARED = "org.tcpjmx.threshold.cleared";
    static final CompositeType NOTIFICATION_DATA;
    /** Origins an OwnCloseWait notification names at most. */
    static final int TOP_ORIGINS = 5;

    static {
        try {
            NOTIFICATION_DATA = new CompositeType("org.tcpjmx.ThresholdCrossing", "A watched count crossing its threshold",
                    new String[] {"watch", "state", "count", "threshold", "topOrigins"},
                    new String[] {"What is watched: OwnCloseWait, CloseWait or TimeWait (the threshold attribute without 'Threshold')",
                        "The TCP state counted", "The count at this sample", "The threshold it crossed",
                        "OwnCloseWait exceeded with origin tracking on (Agent.TrackOrigins): the " + TOP_ORIGINS + " most numerous"
                            + " origins of this JVM's CLOSE_WAIT sockets, one line each (count, states, origin, oldest age); empty otherwise"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.LONG, SimpleType.LONG,
                        ArrayType.getArrayType(SimpleType.STRING)});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final MBeanNotificationInfo[] NOTIFICATIONS = {
        new MBeanNotificationInfo(new String[] {THRESHOLD_EXCEEDED}, Notification.class.getName(),
                "A watched count rose above its threshold (see the *Threshold attributes). userData holds"
                + " {watch, state, count, threshold}"),
        new MBeanNotificationInfo(new String[] {THRESHOLD_CLEARED}, Notification.class.getName(),
                "A watched count fell back to its threshold or below. userData holds {watch, state, count, threshold}")
    };

    private final TcpPlatform platform;
    private final TcpHistograms histograms;
    private final TableSnapshots snapshots;
    private final StateWatcher watcher;

    /** Heap one {localPort|remoteAddress, state, count} row costs until the answer has left. */
    static final long COUNT_ROW_BYTES = 1 << 10;

    private final AnswerBudget budget;
    private final OriginLookup origins;

    StatesBean(ObjectName name, TcpPlatform platform, AnswerBudget budget) {
        this(name, platform, budget, OriginLookup.NONE);
    }

    StatesBean(ObjectName name, TcpPlatform platform, AnswerBudget budget, OriginLookup origins) {
        super("TCP sockets per state (as ss -s and netstat count them), for the host and for this JVM."
                + " Thresholds on watched counts send notifications", name, NOTIFICATIONS);
        this.platform = platform;
        this.budget = budget;
        this.origins = origins;
        this.histograms = new TcpHistograms(platform);
        this.snapshots = new TableSnapshots(histograms, ListeningPortCounts.PORT_LIMIT);
        this.watcher = new StateWatcher(platform, this::crossed, snapshots::latest, snapshots::walkBudgetPercent,
                TableSnapshots.threadCpuClock());

        attribute(OpenAttribute.readOnly("Histogram", "Sockets of the host per state, every state present (zeros included)",
                HistogramTypes.STATES, ctx -> HistogramTypes.states(snapshot(ctx).all())));
        attribute(OpenAttribute.readOnly("Total", "All TCP sockets of the host: the sum of Histogram, from the same walk",
                SimpleType.LONG, ctx -> snapshot(ctx).all().total())
                .withDescriptor("metricType=gauge", "units=sockets"));
        for (TcpState s : TcpState.values()) {
            if (s == TcpState.TIME_WAIT) {
                attribute(OpenAttribute.readOnly(s.attributeName(), "TIME_WAIT entries of the host as the kernel counts them, without walking"
                        + " the table. From /proc/net/sockstat tw: the count net.ipv4.tcp_max_tw_buckets limits."
                        + " It includes FIN_WAIT_2 sockets their application has closed, which Histogram counts under"
                        + " FIN_WAIT_2", SimpleType.LONG, ctx -> counters(ctx).map(TcpSocketCounters::timeWait)
                                .orElseGet(() -> snapshot(ctx).all().count(s)))
                        .withDescriptor("metricType=gauge", "units=sockets"));
                continue;
            }
            attribute(OpenAttribute.readOnly(s.attributeName(), "Sockets of the host in state " + s.name()
                    + " (Histogram's " + s.name() + ", from the same walk)", SimpleType.LONG,
                    ctx -> snapshot(ctx).all().count(s))
                    .withDescriptor("metricType=gauge", "units=sockets"));
        }
        attribute(OpenAttribute.readOnly("OwnHistogram", "Sockets of this JVM (filter 'owned') per state, every state present",
                HistogramTypes.STATES, ctx -> HistogramTypes.states(snapshot(ctx).own())));
        attribute(OpenAttribute.readOnly("ByListeningPort", "Sockets per state on each local port where a socket listens, one row per"
                + " port keyed by AtPort. The host's server ports, IPv4 and IPv6 together, every state present; the"
                + " lowest " + ListeningPortCounts.PORT_LIMIT + " such ports. For scrapers, which read attributes only;"
                + " byLocalPort(filter) covers any port", HistogramTypes.PORT_HISTOGRAMS,
                ctx -> HistogramTypes.portHistograms(snapshot(ctx).byListeningPort()))
                .withDescriptor("metricType=gauge", "units=sockets"));
        attribute(OpenAttribute.readOnly("Orphans", "TCP sockets no process holds any longer, still sending or acknowledging"
                + " their last data. From /proc/net/sockstat orphan (the whole kernel, every network namespace); no"
                + " walk; -1 where the kernel gives no counters", SimpleType.LONG,
                ctx -> counters(ctx).map(TcpSocketCounters::orphans).orElse(-1L))
                .withDescriptor("metricType=gauge", "units=sockets"));
        attribute(OpenAttribute.readOnly("Allocated", "TCP sockets allocated, hashed or not. From /proc/net/sockstat alloc (the"
                + " whole kernel, every network namespace); no walk; -1 where the kernel gives no counters", SimpleType.LONG,
                ctx -> counters(ctx).map(TcpSocketCounters::allocated).orElse(-1L))
                .withDescriptor("metricType=gauge", "units=sockets"));
        attribute(OpenAttribute.readOnly("MemoryPages", "Memory TCP has allocated for socket buffers, in pages (the unit of"
                + " net.ipv4.tcp_mem). From /proc/net/sockstat mem (the whole kernel); no walk; -1 where the kernel gives"
                + " no counters",
                SimpleType.LONG, ctx -> counters(ctx).map(TcpSocketCounters::memoryPages).orElse(-1L))
                .withDescriptor("metricType=gauge", "units=pages"));
        attribute(OpenAttribute.writable("SnapshotMaxAgeMillis", "How old a shared snapshot of the table may be when served, milliseconds"
                + " (0-" + TableSnapshots.MAX_MAX_AGE_MILLIS + ", default " + TableSnapshots.DEFAULT_MAX_AGE_MILLIS
                + "). The snapshot is behind Histogram, Total, the state attributes, OwnHistogram and ByListeningPort;"
                + " readers arriving while a walk runs wait for it. 0: every read walks the table itself", SimpleType.LONG,
                ctx -> snapshots.maxAgeMillis(), v -> snapshots.setMaxAgeMillis((Long) v)).withDescriptor("units=milliseconds"));
        attribute(OpenAttribute.writable("WalkBudgetPercent", "The share of one core that walks for the shared snapshot may"
                + " use, percent (0-" + TableSnapshots.MAX_WALK_BUDGET_PERCENT + ", default "
                + TableSnapshots.DEFAULT_WALK_BUDGET_PERCENT + "). A snapshot whose walk took more CPU is served for longer,"
                + " up to " + TableSnapshots.MAX_MAX_AGE_MILLIS + " ms, so polling a huge table costs at most this."
                + " 0: no budget, SnapshotMaxAgeMillis alone decides", SimpleType.LONG,
                ctx -> (long) snapshots.walkBudgetPercent(), v -> snapshots.setWalkBudgetPercent((Long) v))
                .withDescriptor("units=percent"));
        attribute(OpenAttribute.readOnly("SnapshotServedAgeMillis", "How old a snapshot may be now and still be served,"
                + " milliseconds. SnapshotMaxAgeMillis, or longer where the last walk's CPU time and WalkBudgetPercent say so",
                SimpleType.LONG, ctx -> snapshots.servedAgeMillis()).withDescriptor("units=milliseconds"));
        attribute(OpenAttribute.readOnly("SnapshotTime", "When the walk behind the figures of this read began, epoch"
                + " milliseconds. Attributes read together share one snapshot", SimpleType.LONG,
                ctx -> snapshot(ctx).timeMillis()).withDescriptor("units=milliseconds"));
        attribute(OpenAttribute.readOnly("SnapshotAgeMillis", "How old the figures of this read are: milliseconds since"
                + " their walk began", SimpleType.LONG,
                ctx -> snapshot(ctx).ageMillis(System.nanoTime())).withDescriptor("units=milliseconds"));
        attribute(OpenAttribute.readOnly("SnapshotWalkMillis", "How long the walk behind the figures of this read took,"
                + " milliseconds: what one scrape costs", SimpleType.LONG,
                ctx -> snapshot(ctx).walkNanos() / 1_000_000).withDescriptor("units=milliseconds"));
        attribute(OpenAttribute.readOnly("TableWalks", "Walks of the kernel's whole socket table by this registration's"
                + " platform since it was opened. Snapshots, Connections rows, queries, drops, the watcher; -1 where unknown."
                + " Reading it walks nothing", SimpleType.LONG, ctx -> platform.tableWalks())
                .withDescriptor("metricType=counter"));
        for (StateWatcher.Watch w : StateWatcher.Watch.values()) {
            attribute(OpenAttribute.writable(w.name + "Threshold", "Notify when " + w.what + " exceed this count; 0 or"
                    + " negative: off (reads 0). Sends " + THRESHOLD_EXCEEDED + " when they exceed it and "
                    + THRESHOLD_CLEARED + " when they fall back" + (w.why.isEmpty() ? "" : " (" + w.why + ")"),
                    SimpleType.LONG, ctx -> watcher.threshold(w), v -> watcher.setThreshold(w, (Long) v)));
        }
        attribute(OpenAttribute.writable("SampleIntervalMillis", "How often the watcher samples, milliseconds ("
                + StateWatcher.MIN_INTERVAL_MILLIS + "-" + StateWatcher.MAX_INTERVAL_MILLIS + ", default "
                + StateWatcher.DEFAULT_INTERVAL_MILLIS + ")", SimpleType.LONG,
                ctx -> watcher.intervalMillis(), v -> watcher.setIntervalMillis((Long) v)).withDescriptor("units=milliseconds"));
        attribute(OpenAttribute.readOnly("SampleServedIntervalMillis", "How far apart the watcher's samples are now, milliseconds."
                + " SampleIntervalMillis, or longer where a sample's CPU time, that often, would exceed WalkBudgetPercent"
                + " (at most " + StateWatcher.MAX_SERVED_INTERVAL_MILLIS + ")", SimpleType.LONG,
                ctx -> watcher.servedIntervalMillis()).withDescriptor("units=milliseconds"));
        attribute(OpenAttribute.writable("TrackFirstSeen", "Record when the watcher first sees each socket, shown as firstSeen"
                + " in Connections rows. Costs one table dump per sample (default false)", SimpleType.BOOLEAN,
                ctx -> watcher.trackFirstSeen(), v -> watcher.setTrackFirstSeen((Boolean) v)));
        attribute(OpenAttribute.readOnly("Watching", "Whether the watcher thread (" + StateWatcher.THREAD_NAME
                + ") runs: a threshold is set or TrackFirstSeen is on", SimpleType.BOOLEAN, ctx -> watcher.running()));
        attribute(OpenAttribute.readOnly("LastSampleTime", "When the watcher last finished a sample (epoch milliseconds), -1 never",
                SimpleType.LONG, ctx -> watcher.lastSampleMillis()).withDescriptor("units=milliseconds"));
        attribute(OpenAttribute.readOnly("LastSample", "When the watcher last finished a sample, as a readable UTC time"
                + " (ISO-8601, e.g. 2026-12-02T16:05:24.123Z); empty never. LastSampleTime is the same in epoch milliseconds",
                SimpleType.STRING, ctx -> {
                    long at = watcher.lastSampleMillis();
                    return at < 0 ? "" : java.time.Instant.ofEpochMilli(at).toString();
                }));

        OpenParameter filter = new OpenParameter("filter",
                "ss filter, empty for every socket. States, groups, sport/dport, src/dst, and/or/not, 'owned', 'stack NAME'",
                SimpleType.STRING);
        operation(OpenOperation.query("histogram", "Sockets matching an ss filter, per state (every state present)",
                HistogramTypes.STATES, a -> HistogramTypes.states(platform.histogram(parse(a))), filter));
        operation(OpenOperation.query("byLocalPort", "Sockets matching an ss filter per local port and state, ports ascending."
                + " Rows of {localPort, state, count}, zero counts left out", HistogramTypes.PORT_ROWS,
                a -> counted("byLocalPort", a, max -> HistogramTypes.ports(histograms.byLocalPort(parse(a), max)), ""),
                filter));
        operation(OpenOperation.query("byRemoteAddress", "Sockets matching an ss filter per remote address and state, busiest"
                + " addresses first. Rows of {remoteAddress, state, count} for the top addresses; sockets without a peer"
                + " (listeners) left out", HistogramTypes.ADDRESS_ROWS,
                a -> counted("byRemoteAddress", a,
                        max -> HistogramTypes.addresses(histograms.byRemoteAddress(parse(a), a.integer("top"), max)),
                        ", or keep fewer addresses with top"), filter,
                new OpenParameter("top", "How many remote addresses to keep, most sockets first; 0 or less: all",
                        SimpleType.INTEGER)));
    }

    /** The watcher; the registration closes it. */
    StateWatcher watcher() {
        return watcher;
    }

    /** The snapshot of this read: one per getAttributes call or request scope, shared across readers for a moment. */
    private TableSnapshot snapshot(ReadContext ctx) {
        return ctx.memo("snapshot", snapshots::get);
    }

    private Optional<TcpSocketCounters> counters(ReadContext ctx) {
        return ctx.memo("counters", platform::socketCounters);
    }

    /** Counts into at most this many keys, and returns at most this many rows. */
    private interface Breakdown {
        CompositeData[] count(int maxKeys);
    }

    /**
     * A breakdown: one dump counted into one counter per distinct port or address (no row per
     * socket), bounded while it counts: its rows (never more than the sockets matched) are reserved
     * before counting, and the counting stops, refused, past the rows the budget holds.
     */
    private CompositeData[] counted(String what, Arguments a, Breakdown breakdown, String orTop) {
        String matchedText = a.string("filter").isBlank() ? "every socket" : "'" + a.string("filter") + "'";
        try (AnswerBudget.Turn turn = budget.turn(what)) {
            long sockets = platform.histogram(parse(a)).total();
            long fit = budget.rowsFitting(COUNT_ROW_BYTES);
            long rows = Math.min(fit, sockets + Math.max(16, sockets / 50));
            turn.reserve(rows, 0, COUNT_ROW_BYTES, sockets + " sockets match " + matchedText, "");
            CompositeData[] out;
            try {
                out = breakdown.count((int) rows);
            } catch (TcpHistograms.TooManyKeys e) {
                throw new IllegalArgumentException(what + ": " + sockets + " sockets match " + matchedText + "; they have more"
                        + " than " + e.limit() + " distinct keys, over what the answer budget of " + budget + " holds ("
                        + fit + " rows). Narrow the filter" + orTop);
            }
            if (out.length > rows) {
                throw new IllegalArgumentException(what + ": " + out.length + " rows for " + matchedText + ", over the "
                        + rows + " the answer budget of " + budget + " holds. Narrow the filter" + orTop);
            }
            turn.shrink(out.length, COUNT_ROW_BYTES);
            return out;
        }
    }

    private static Filter parse(Arguments a) {
        return FilterParser.parse(a.string("filter"));
    }

    /** The most numerous origins of this JVM's CLOSE_WAIT sockets, for an OwnCloseWait notification; one walk, only then. */
    private String[] topOrigins(StateWatcher.Watch w) {
        if (!"OwnCloseWait".equals(w.name) || !origins.tracking()) {
            return new String[0];
        }
        OriginGroups groups = new OriginGroups();
        platform.forEach(FilterParser.parse("state close-wait"), false, c -> {
            if (c.owned()) {
                groups.add(c, origins.originOf(c));
            }
        });
        return groups.top(TOP_ORIGINS, System.currentTimeMillis()).stream().map(OriginGroups::line).toArray(String[]::new);
    }

    private void crossed(StateWatcher.Watch w, long count, long threshold, boolean upward) {
        String message = upward
                ? w.described() + ": " + count + " exceed the threshold of " + threshold
                : w.described() + ": " + count + ", back within the threshold of " + threshold;
        Notification n = notification(upward ? THRESHOLD_EXCEEDED : THRESHOLD_CLEARED, message);
        try {
            n.setUserData(new CompositeDataSupport(NOTIFICATION_DATA, new String[] {"watch", "state", "count", "threshold", "topOrigins"},
                    new Object[] {w.name, w.state.name(), count, threshold, upward ? topOrigins(w) : new String[0]}));
        } catch (OpenDataException e) {
            throw new IllegalStateException("notification data does not fit its type", e);
        }
        send(n);
    }

    /** Unregistered, through the registration or by name: stop the watcher all the same. */
    @Override
    protected void stop() {
        watcher.close();
    }
}
