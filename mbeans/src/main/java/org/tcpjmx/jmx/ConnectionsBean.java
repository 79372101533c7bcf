package org.tcpjmx.jmx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.SocketOrigin;
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
    private final OriginLookup origins;
    private volatile int rowLimit = DEFAULT_ROW_LIMIT;

    ConnectionsBean(TcpPlatform platform, StateWatcher watcher) {
        this(platform, watcher, OriginLookup.NONE);
    }

    ConnectionsBean(TcpPlatform platform, StateWatcher watcher, OriginLookup origins) {
        super("The TCP table of this host (ss -tan): every socket as a row, queries with ss filters,"
                + " and the tcpdrop command line of each row");
        this.platform = platform;
        this.watcher = watcher;
        this.origins = origins;

        attribute(OpenAttribute.readOnly("Count", "TCP sockets of the host, all states, as the kernel counts them"
                + " (/proc/net/sockstat and sockstat6: inuse of both families plus tw), without walking the table; it"
                + " leaves out half-open requests (SYN_RCVD), which States.Total counts", SimpleType.LONG,
                ctx -> SocketCount.of(platform)).withDescriptor("metricType=gauge", "units=sockets"));
        attribute(OpenAttribute.readOnly("Backend", "Where the table comes from: NETLINK (sock_diag: cookies, tcp_info,"
                + " drops) or PROCFS (/proc/net/tcp fallback)", SimpleType.STRING, ctx -> platform.backend().name()));
        attribute(OpenAttribute.readOnly("Connections", "Every TCP socket of the host, one row each, at most RowLimit rows"
                + " (Count gives the total; query() filters and has its own limit)", ConnectionRows.TABLE,
                ctx -> table(Filter.ALL, rowLimit, false)));
        attribute(OpenAttribute.writable("RowLimit", "Most rows the Connections attribute returns (default "
                + DEFAULT_ROW_LIMIT + "; 0 or less: no limit). Tools that read every attribute (JConsole, jmx_exporter,"
                + " a Jolokia read of the whole MBean) should not get 100,000 rows by accident", SimpleType.INTEGER,
                ctx -> rowLimit, v -> rowLimit = (Integer) v).withDescriptor("units=rows"));

        OpenParameter filter = new OpenParameter("filter",
                "ss filter, e.g. 'state established and dport = :443', 'owned', 'stack bbr'; empty for every socket",
                SimpleType.STRING);
        OpenParameter limit = new OpenParameter("limit", "Most rows to return; 0 or less: no limit", SimpleType.INTEGER);
        operation(OpenOperation.query("query", "Sockets matching an ss filter, as rows", ConnectionRows.TABLE,
                a -> table(FilterParser.parse(a.string("filter")), a.integer("limit"), false), filter, limit));
        operation(OpenOperation.query("queryWithInfo", "Sockets matching an ss filter, as rows with the tcp_info figures"
                + " (rtt, retransmits, bytes, cwnd, delivery rate, ...; -1 where the kernel gives none)",
                ConnectionRows.TABLE_WITH_INFO,
                a -> table(FilterParser.parse(a.string("filter")), a.integer("limit"), true), filter, limit));
        operation(OpenOperation.query("queryWithProcesses", "Sockets matching an ss filter, as rows with the process"
                + " holding each (ss -tanp: pid and command). Scans every process's /proc/PID/fd: slow on a big host",
                ConnectionRows.TABLE_WITH_PROCESS,
                a -> processTable(FilterParser.parse(a.string("filter")), a.integer("limit")), filter, limit));
        operation(OpenOperation.query("byOrigin", "This JVM's own sockets matching an ss filter, grouped by where this JVM"
                + " opened them (origin, Agent.TrackOrigins): per group the count per state and the age of the oldest socket,"
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

    private CompositeData[] processTable(Filter filter, int limit) {
        java.util.Map<Long, org.tcpjmx.model.SocketOwner> owners = platform.socketOwners();
        List<CompositeData> rows = new ArrayList<>();
        for (CompositeData r : table(filter, limit, false)) {
            long inode = (Long) r.get("inode");
            rows.add(ConnectionRows.rowWithProcess(r, inode > 0 ? owners.get(inode) : null));
        }
        return rows.toArray(new CompositeData[0]);
    }

    private CompositeData[] table(Filter filter, int limit, boolean withInfo) {
        List<CompositeData> rows = new ArrayList<>();
        int max = limit <= 0 ? Integer.MAX_VALUE : limit;
        try {
            platform.forEach(filter, withInfo, c -> {
                long seen = watcher.firstSeen(c);
                Optional<SocketOrigin> origin = c.owned() ? origins.originOf(c) : Optional.empty();
                rows.add(withInfo ? ConnectionRows.rowWithInfo(c, seen, origin) : ConnectionRows.row(c, seen, origin));
                if (rows.size() >= max) {
                    throw LimitReached.INSTANCE;
                }
            });
        } catch (LimitReached done) {
            // The rest of the dump is not wanted: leaving it early spares reading 100k sockets for 10k rows.
        }
        return rows.toArray(new CompositeData[0]);
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
