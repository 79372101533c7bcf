package org.tcpjmx.jmx;

import java.util.Map;
import java.util.Set;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.platform.TcpPlatform;

/**
 * {@code org.tcpjmx:type=Statistics}: the kernel's TCP counters as {@code netstat -s} and
 * {@code nstat} show them, one {@code long} attribute each, named as nstat names them
 * ({@code TcpActiveOpens}, {@code TcpExtListenOverflows}). The attribute set is what the running
 * kernel reports when the MBean is created.
 */
final class StatisticsBean extends OpenMBeanBase {
    /** The section of {@code /proc/net/snmp} the counters named {@code Tcp...} come from. */
    private static final String TCP_SECTION = "Tcp";
    /** The section of {@code /proc/net/netstat} the counters named {@code TcpExt...} come from. */
    private static final String TCP_EXT_SECTION = "TcpExt";
    private static final Set<String> GAUGES = Set.of("TcpRtoAlgorithm", "TcpRtoMin", "TcpRtoMax", "TcpMaxConn", "TcpCurrEstab");

    /** Descriptions of the counters people look for; the rest get a generic one naming their source. */
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("TcpRtoAlgorithm", "Retransmission timeout algorithm (RFC 1213; 1 means other)"),
            Map.entry("TcpRtoMin", "Smallest retransmission timeout, milliseconds"),
            Map.entry("TcpRtoMax", "Largest retransmission timeout, milliseconds"),
            Map.entry("TcpMaxConn", "Limit on connections; -1 means none"),
            Map.entry("TcpActiveOpens", "Connections this host opened (connect: CLOSED to SYN_SENT)"),
            Map.entry("TcpPassiveOpens", "Connections this host accepted (LISTEN to SYN_RCVD)"),
            Map.entry("TcpAttemptFails", "Connection attempts that failed (SYN_SENT or SYN_RCVD back to CLOSED or LISTEN)"),
            Map.entry("TcpEstabResets", "Resets of ESTABLISHED or CLOSE_WAIT connections"),
            Map.entry("TcpCurrEstab", "Connections now in ESTABLISHED or CLOSE_WAIT"),
            Map.entry("TcpInSegs", "Segments received, erroneous ones included"),
            Map.entry("TcpOutSegs", "Segments sent, retransmissions excluded"),
            Map.entry("TcpRetransSegs", "Segments retransmitted"),
            Map.entry("TcpInErrs", "Segments received with errors"),
            Map.entry("TcpOutRsts", "Segments sent with RST"),
            Map.entry("TcpInCsumErrors", "Segments received with a bad checksum"),
            Map.entry("TcpExtSyncookiesSent", "SYN cookies sent"),
            Map.entry("TcpExtSyncookiesRecv", "Valid SYN cookies received"),
            Map.entry("TcpExtSyncookiesFailed", "Invalid SYN cookies received"),
            Map.entry("TcpExtEmbryonicRsts", "Resets received in SYN_RCVD"),
            Map.entry("TcpExtTW", "Connections that finished TIME_WAIT by its timer"),
            Map.entry("TcpExtTWRecycled", "TIME_WAIT sockets recycled for a new connection"),
            Map.entry("TcpExtTWKilled", "TIME_WAIT sockets ended early"),
            Map.entry("TcpExtListenOverflows", "Connections dropped because a listener's accept queue was full"),
            Map.entry("TcpExtListenDrops", "Connection requests to listeners dropped, overflows included"),
            Map.entry("TcpExtTCPTimeouts", "Retransmission timeouts"),
            Map.entry("TcpExtTCPSynRetrans", "SYN and SYN-ACK retransmissions"),
            Map.entry("TcpExtTCPLostRetransmit", "Retransmissions that were lost again"),
            Map.entry("TcpExtTCPFastRetrans", "Fast retransmissions"),
            Map.entry("TcpExtTCPAbortOnData", "Connections reset because data arrived after the application closed"),
            Map.entry("TcpExtTCPAbortOnClose", "Connections reset because the application closed with unread data"),
            Map.entry("TcpExtTCPAbortOnMemory", "Connections reset for lack of memory (too many orphans)"),
            Map.entry("TcpExtTCPAbortOnTimeout", "Connections dropped after too many retransmissions or probes"),
            Map.entry("TcpExtTCPAbortOnLinger", "Connections reset by SO_LINGER with a zero timeout"),
            Map.entry("TcpExtTCPAbortFailed", "Resets that could not be sent"),
            Map.entry("TcpExtTCPTimeWaitOverflow", "TIME_WAIT sockets not kept because tcp_max_tw_buckets was reached"),
            Map.entry("TcpExtTCPBacklogDrop", "Segments dropped because the socket backlog was full"),
            Map.entry("TcpExtTCPReqQFullDrop", "Connection requests dropped because the SYN queue was full"),
            Map.entry("TcpExtTCPReqQFullDoCookies", "SYN cookies sent because the SYN queue was full"),
            Map.entry("TcpExtTCPFastOpenActive", "Fast Open connections this host opened"),
            Map.entry("TcpExtTCPFastOpenPassive", "Fast Open connections this host accepted"),
            Map.entry("TcpExtTCPRetransFail", "Retransmissions that failed to be sent"),
            Map.entry("TcpExtDelayedACKs", "Delayed ACKs sent"));

    private final TcpPlatform platform;

    StatisticsBean(TcpPlatform platform) {
        super("The kernel's TCP counters (netstat -s, nstat), one attribute per counter, named as nstat names them."
                + " The Tcp: section of /proc/net/snmp and the TcpExt: section of /proc/net/netstat");
        this.platform = platform;
        for (String name : platform.tcpCounters().keySet()) {
            boolean gauge = GAUGES.contains(name);
            attribute(OpenAttribute.readOnly(name, describe(name), SimpleType.LONG, ctx -> value(ctx, name))
                    .withDescriptor("metricType=" + (gauge ? "gauge" : "counter")));
        }
    }

    private long value(ReadContext ctx, String name) {
        Long v = ctx.memo("counters", platform::tcpCounters).get(name);
        if (v == null) {
            throw new IllegalStateException("the kernel no longer reports " + name);
        }
        return v;
    }

    private static String describe(String name) {
        boolean ext = name.startsWith(TCP_EXT_SECTION);
        String section = ext ? TCP_EXT_SECTION : TCP_SECTION;
        String column = name.substring(section.length());
        String source = "Column " + column + " of " + section + ": in " + (ext ? "/proc/net/netstat" : "/proc/net/snmp");
        String known = KNOWN.get(name);
        return known != null ? known + ". " + source
                : "Kernel TCP counter " + column + ". " + source + "; see the kernel's Documentation/networking/snmp_counter.rst";
    }
}
