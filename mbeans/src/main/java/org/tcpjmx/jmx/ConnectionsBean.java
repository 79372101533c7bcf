package org.tcpjmx.jmx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.SocketOrigin;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.platform.TcpPlatform;

/**
 * {@code org.tcpjmx:type=Connections}: the host's TCP table, as {@code ss -tan} shows it, with
 * queries in ss's filter language.
 */
final class ConnectionsBean extends OpenMBeanBase {
    /** Rows of the Connections attribute unless RowLimit says otherwise. */
    static final int DEFAULT_ROW_LIMIT = 10_000;

    private final TcpPlatform platform;
    private final StateWatcher watcher;
    private final AnswerBudget budget;
    private final OriginLookup origins;
    private volatile int rowLimit = DEFAULT_ROW_LIMIT;

    ConnectionsBean(TcpPlatform platform, StateWatcher watcher, AnswerBudget budget) {
        this(platform, watcher, budget, OriginLookup.NONE);
    }

    ConnectionsBean(TcpPlatform platform, StateWatcher watcher, AnswerBudget budget, OriginLookup origins) {
        super("The TCP table of this host (ss -tan), every socket as a row. Queries with ss filters,"
                + " and the tcpdrop command line of each row. Answers stay within the agent's answer budget ("
                + budget + " here); queryPage reaches tables of any size");
        this.platform = platform;
        this.watcher = watcher;
        this.budget = budget;
        this.origins = origins;

        attribute(OpenAttribute.readOnly("Count", "TCP sockets of the host, all states, as the kernel counts them, without"
                + " walking the table. From /proc/net/sockstat and sockstat6 (inuse of both families plus tw); it leaves"
                + " out half-open requests (SYN_RCVD), which States.Total counts", SimpleType.LONG,
                ctx -> SocketCount.of(platform)).withDescriptor("metricType=gauge", "units=sockets"));
        attribute(OpenAttribute.readOnly("Backend", "Where the table comes from: NETLINK or PROCFS. NETLINK is sock_diag"
                + " (cookies, tcp_info, drops), PROCFS the /proc/net/tcp fallback", SimpleType.STRING, ctx -> platform.backend().name()));
        attribute(OpenAttribute.readOnly("Connections", "Every TCP socket of the host, one row each, at most RowLimit rows."
                + " At most what the answer budget holds too (" + budget + ": " + budget.rowsFitting(ConnectionRows.ROW_BYTES)
                + " rows); with RowLimit 0 refused, saying so, when every row would not fit. Count gives the total;"
                + " query() filters, queryPage() reaches every row", ConnectionRows.TABLE,
                ctx -> table("Connections", "", Filter.ALL, clipped(rowLimit), false)));
        attribute(OpenAttribute.writable("RowLimit", "Most rows the Connections attribute returns (default "
                + DEFAULT_ROW_LIMIT + "; 0 or less: no limit). Tools that read every attribute (JConsole, jmx_exporter,"
                + " a Jolokia read of the whole MBean) should not get 100,000 rows by accident", SimpleType.INTEGER,
                ctx -> rowLimit, v -> rowLimit = (Integer) v).withDescriptor("units=rows"));
        attribute(OpenAttribute.readOnly("AnswerBudgetBytes", "Heap the answers of tcpjmx may hold at once, in bytes. A bigger answer is"
                + " refused, saying how to narrow or page. Agent option answerBudget=; default 10% of the max heap, at"
                + " most 64 MiB", SimpleType.LONG, ctx -> budget.bytes()).withDescriptor("units=bytes"));
        attribute(OpenAttribute.readOnly("PageRows", "Rows of a queryPage page with limit 0. A quarter of what the answer"
                + " budget holds, so several clients can page at once", SimpleType.INTEGER,
                ctx -> (int) defaultPageRows(ConnectionRows.ROW_BYTES)).withDescriptor("units=rows"));

        OpenParameter filter = new OpenParameter("filter",
                "ss filter, e.g. 'state established and dport = :443', 'owned', 'stack bbr'; empty for every socket",
                SimpleType.STRING);
        OpenParameter limit = new OpenParameter("limit", "Most rows to return; 0 or less: no limit. The answer budget"
                + " still applies: past it the call is refused, saying how many rows matched", SimpleType.INTEGER);
        operation(OpenOperation.query("query", "Sockets matching an ss filter, as rows", ConnectionRows.TABLE,
                a -> table("query", a.string("filter"), FilterParser.parse(a.string("filter")), a.integer("limit"), false),
                filter, limit));
        operation(OpenOperation.query("queryWithInfo", "Sockets matching an ss filter, as rows with the tcp_info figures."
                + " The figures: rtt, retransmits, bytes, cwnd, delivery rate, ...; -1 where the kernel gives none",
                ConnectionRows.TABLE_WITH_INFO,
                a -> table("queryWithInfo", a.string("filter"), FilterParser.parse(a.string("filter")), a.integer("limit"),
                        true), filter, limit));
        OpenParameter after = new OpenParameter("after", "Cursor: '' for the first page, then the 'next' of the page"
                + " before", SimpleType.STRING);
        OpenParameter pageLimit = new OpenParameter("limit", "Most rows on this page; 0 or less: PageRows (a quarter of"
                + " the answer budget)", SimpleType.INTEGER);
        String order = " Pages are in a stable order (socket cookie, then 4-tuple), not the kernel's: a socket open"
                + " through the whole walk comes exactly once; one that closes meanwhile may be missing, one that opens"
                + " comes when its key is after the cursor (new sockets get higher cookies)";
        operation(OpenOperation.query("queryPage", "One page of the sockets matching an ss filter: {rows, next,"
                + " remaining}. Call again with after=next until next is empty." + order, ConnectionRows.PAGE,
                a -> page("queryPage", a.string("filter"), a.string("after"), a.integer("limit"), false),
                filter, after, pageLimit));
        operation(OpenOperation.query("queryPageWithInfo", "queryPage with the tcp_info figures of queryWithInfo." + order,
                ConnectionRows.PAGE_WITH_INFO,
                a -> page("queryPageWithInfo", a.string("filter"), a.string("after"), a.integer("limit"), true),
                filter, after, pageLimit));
        operation(OpenOperation.query("queryWithProcesses", "Sockets matching an ss filter, as rows with the process"
                + " holding each (ss -tanp: pid and command). Scans every process's /proc/PID/fd: slow on a big host",
                ConnectionRows.TABLE_WITH_PROCESS,
                a -> processTable(a.string("filter"), FilterParser.parse(a.string("filter")), a.integer("limit")), filter, limit));
        operation(OpenOperation.query("byOrigin", "This JVM's own sockets matching an ss filter, grouped by where this JVM"
                + " opened them. The origin is what Agent.TrackOrigins records: per group the count per state and the age of the oldest socket,"
                + " most numerous first; sockets of unknown origin (opened before tracking, or by native code such as Netty's"
                + " epoll transport) form the group with an empty origin", OriginGroups.TABLE,
                a -> byOrigin(FilterParser.parse(a.string("filter"))), filter));
    }

    private CompositeData[] byOrigin(Filter filter) {
        OriginGroups groups = new OriginGroups();
        platform.forEach(filter, false, c -> {
            if (c.owned()) {
                groups.add(c, origins.originOf(c));
            }
        });
        return groups.top(0, System.currentTimeMillis()).toArray(new CompositeData[0]);
    }

    /** Rows with their owning process; each costs its plain row and the row with the process while both live. */
    private CompositeData[] processTable(String filterText, Filter filter, int limit) {
        java.util.Map<Long, org.tcpjmx.model.SocketOwner> owners = platform.socketOwners();
        List<CompositeData> rows = new ArrayList<>();
        for (CompositeData r : table("queryWithProcesses", filterText, filter, limit, false, 2 * ConnectionRows.ROW_BYTES)) {
            long inode = (Long) r.get("inode");
            rows.add(ConnectionRows.rowWithProcess(r, inode > 0 ? owners.get(inode) : null));
        }
        return rows.toArray(new CompositeData[0]);
    }

    /** A positive RowLimit asks for a view of the first rows, so the budget may narrow it further; 0 asks for all. */
    private int clipped(int limit) {
        return limit <= 0 ? limit : (int) Math.min(limit, budget.rowsFitting(ConnectionRows.ROW_BYTES));
    }

    private long defaultPageRows(long rowBytes) {
        return Math.max(1, budget.rowsFitting(rowBytes) / 4);
    }

    /**
     * The rows a filter matches, counted first (a dump that builds no rows) so that an answer over the
     * budget is refused before a single row is built.
     */
    private CompositeData[] table(String what, String filterText, Filter filter, int limit, boolean withInfo) {
        return table(what, filterText, filter, limit, withInfo,
                withInfo ? ConnectionRows.ROW_WITH_INFO_BYTES : ConnectionRows.ROW_BYTES);
    }

    private CompositeData[] table(String what, String filterText, Filter filter, int limit, boolean withInfo, long rowBytes) {
        try (AnswerBudget.Turn turn = budget.turn(what)) {
            // A small limit (a dashboard's "the first 50") fits whatever matches: no counting walk needed.
            boolean small = limit > 0 && (long) limit * rowBytes <= budget.bytes() / 16;
            long matched = small ? limit : platform.histogram(filter).total();
            long want = limit <= 0 ? matched : Math.min(limit, matched);
            // Sockets opened between the count and the read: room for a few, bounded by the limit and the budget.
            long fit = budget.rowsFitting(rowBytes);
            long slack = Math.max(0, Math.min(Math.min(Math.max(16, want / 50), limit > 0 ? limit - want : Long.MAX_VALUE),
                    fit - want));
            String narrow = what.equals("Connections")
                    ? "RowLimit is 0 (every row): set a positive RowLimit, or use query(filter, limit) or queryPage(filter, after, limit)"
                    : "Narrow the filter, give a limit of at most " + fit + ", or page with "
                        + (withInfo ? "queryPageWithInfo" : "queryPage") + "(filter, after, limit) (tcpjmx table --url URL"
                        + " --limit 0 pages)";
            turn.reserve(want, slack, rowBytes, matched + " sockets match " + describe(filterText), narrow);
            long cap = want + slack;
            List<CompositeData> rows = new ArrayList<>((int) Math.min(cap, 4096));
            try {
                platform.forEach(filter, withInfo, c -> {
                    if (rows.size() >= cap) {
                        if (limit > 0 && cap >= limit) {
                            throw LimitReached.INSTANCE;
                        }
                        throw new IllegalStateException(what + ": the table grew by more than " + slack
                                + " sockets between counting (" + matched + ") and reading; ask again, or page with queryPage");
                    }
                    long seen = watcher.firstSeen(c);
                    Optional<SocketOrigin> origin = c.owned() ? origins.originOf(c) : Optional.empty();
                    rows.add(withInfo ? ConnectionRows.rowWithInfo(c, seen, origin) : ConnectionRows.row(c, seen, origin));
                });
            } catch (LimitReached done) {
                // The rest of the dump is not wanted: leaving it early spares reading 100k sockets for 10k rows.
            }
            return rows.toArray(new CompositeData[0]);
        }
    }

    /**
     * One page: the {@code limit} smallest page keys after the cursor, chosen while the table streams
     * past, so at most one page of rows is held whatever the table's size.
     */
    private CompositeData page(String what, String filterText, String after, int limit, boolean withInfo) {
        long rowBytes = withInfo ? ConnectionRows.ROW_WITH_INFO_BYTES : ConnectionRows.ROW_BYTES;
        Filter filter = FilterParser.parse(filterText);
        PageKey cursor = after.isBlank() ? null : PageKey.parse(after);
        long size = limit <= 0 ? defaultPageRows(rowBytes) : limit;
        try (AnswerBudget.Turn turn = budget.turn(what)) {
            turn.reserve(size, 0, rowBytes, "a page of " + size + " rows was asked",
                    "Give a limit of at most " + budget.rowsFitting(rowBytes) + ", or 0 for PageRows");
            PriorityQueue<Keyed> page = new PriorityQueue<>((int) Math.min(size, 4096) + 1,
                    Comparator.comparing(Keyed::key).reversed());
            long[] remaining = {0};
            platform.forEach(filter, withInfo, c -> {
                PageKey k = PageKey.of(c);
                if (cursor != null && k.compareTo(cursor) <= 0) {
                    return;
                }
                remaining[0]++;
                if (page.size() < size) {
                    page.add(new Keyed(k, c));
                } else if (k.compareTo(page.peek().key()) < 0) {
                    page.poll();
                    page.add(new Keyed(k, c));
                }
            });
            Keyed[] sorted = page.toArray(new Keyed[0]);
            Arrays.sort(sorted, Comparator.comparing(Keyed::key));
            CompositeData[] rows = new CompositeData[sorted.length];
            for (int i = 0; i < rows.length; i++) {
                TcpConnection c = sorted[i].row();
                long seen = watcher.firstSeen(c);
                Optional<SocketOrigin> origin = c.owned() ? origins.originOf(c) : Optional.empty();
                rows[i] = withInfo ? ConnectionRows.rowWithInfo(c, seen, origin) : ConnectionRows.row(c, seen, origin);
            }
            String next = remaining[0] > rows.length ? sorted[sorted.length - 1].key().cursor() : "";
            return ConnectionRows.page(withInfo, rows, next, remaining[0]);
        }
    }

    private record Keyed(PageKey key, TcpConnection row) {
    }

    private static String describe(String filterText) {
        return filterText.isBlank() ? "(no filter: every socket)" : "'" + filterText + "'";
    }

    /** Ends a dump from inside its sink; the reader closes its netlink socket or file on the way out. */
    private static final class LimitReached extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final LimitReached INSTANCE = new LimitReached();

        private LimitReached() {
            super("row limit reached", null, false, false);
        }
    }
}
