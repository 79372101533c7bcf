package org.tcpjmx.jmx;

import java.util.ArrayList;
import java.util.List;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.platform.TcpPlatform;

/**
 * {@code org.tcpjmx:type=Connections}: the host's TCP table, as {@code ss -tan} shows it, with
 * queries in ss's filter language.
 */
final class ConnectionsBean extends OpenMBeanBase {
    private final TcpPlatform platform;
    private final StateWatcher watcher;

    ConnectionsBean(TcpPlatform platform, StateWatcher watcher) {
        super("The TCP table of this host (ss -tan): every socket as a row, queries with ss filters,"
                + " and the tcpdrop command line of each row");
        this.platform = platform;
        this.watcher = watcher;

        attribute(OpenAttribute.readOnly("Count", "TCP sockets of the host, all states", SimpleType.LONG,
                ctx -> platform.histogram(Filter.ALL).total()).withDescriptor("metricType=gauge", "units=sockets"));
        attribute(OpenAttribute.readOnly("Backend", "Where the table comes from: NETLINK (sock_diag: cookies, tcp_info,"
                + " drops) or PROCFS (/proc/net/tcp fallback)", SimpleType.STRING, ctx -> platform.backend().name()));
        attribute(OpenAttribute.readOnly("Connections", "Every TCP socket of the host, one row each (query() filters and"
                + " limits; on a host with very many sockets prefer it)", ConnectionRows.TABLE,
                ctx -> table(Filter.ALL, 0, false)));

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
    }

    private CompositeData[] table(Filter filter, int limit, boolean withInfo) {
        List<CompositeData> rows = new ArrayList<>();
        int max = limit <= 0 ? Integer.MAX_VALUE : limit;
        // The dump runs to its end either way; rows past the limit are only not converted.
        platform.forEach(filter, withInfo, c -> {
            if (rows.size() < max) {
                long seen = watcher.firstSeen(c);
                rows.add(withInfo ? ConnectionRows.rowWithInfo(c, seen) : ConnectionRows.row(c, seen));
            }
        });
        return rows.toArray(new CompositeData[0]);
    }
}
