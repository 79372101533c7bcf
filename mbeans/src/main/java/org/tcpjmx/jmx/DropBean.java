package org.tcpjmx.jmx;

import java.util.function.Supplier;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.drop.DropReport;
import org.tcpjmx.drop.TcpDropper;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.TcpState;

/**
 * {@code org.tcpjmx:type=Drop}: tcpdrop(8) over JMX. Every operation returns
 * {@code {matched, dropped, failed, commands[], errors[], outcomes[]}}; {@code listOnly=true} is
 * tcpdrop's {@code -l}: nothing is dropped and {@code commands} holds the command lines. Bulk drops
 * skip listeners and the protected (management) connections; {@code drop} and {@code dropSpec}
 * drop the one connection named, as {@link TcpDropper#dropOne} does. A read-only registration refuses every operation
 * with a {@link SecurityException} saying so. Audit lines name the requester ({@link CurrentRequester}).
 */
final class DropBean extends OpenMBeanBase {
    static final String READ_ONLY_MESSAGE = "tcpjmx is read-only (readOnly=true): drop operations are refused";

    private final TcpDropper dropper;
    private final boolean readOnly;

    DropBean(TcpJmxOptions options) {
        super("tcpdrop(8) for this host's TCP connections: drop one by its 4-tuple, or many by state, stack or ss filter;"
                + " listOnly=true lists the tcpdrop command lines instead (tcpdrop -l)"
                + (options.readOnly() ? ". This registration is read-only: every drop is refused" : ""));
        this.dropper = new TcpDropper(options.platform(), options.protectedConnection());
        this.readOnly = options.readOnly();

        OpenParameter listOnly = new OpenParameter("listOnly",
                "true: drop nothing, return the tcpdrop command lines (tcpdrop -l); false: drop", SimpleType.BOOLEAN);
        OpenParameter state = new OpenParameter("state",
                "TCP state: tcpdrop's name (TIME_WAIT, CLOSE_WAIT, ...) or ss's (time-wait, close-wait, ...), any case",
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
        operation(OpenOperation.action("dropSpec", "Drops one connection given as tcpdrop takes it, in one string:"
                + " 'LADDR LPORT FADDR FPORT', 'LADDR:LPORT FADDR:FPORT', 'LADDR.LPORT FADDR.FPORT' or '[v6]:port ...'",
                DropReportType.REPORT, a -> report(() -> dropper().dropSpec(a.string("spec"))),
                new OpenParameter("spec", "The connection, in one of tcpdrop's two- or four-argument forms", SimpleType.STRING)));
        operation(OpenOperation.action("dropAll", "Drops every connection except listeners and protected ones (tcpdrop -a)",
                DropReportType.REPORT, a -> report(() -> dropper().dropAll(a.bool("listOnly"))), listOnly));
        operation(OpenOperation.action("dropState", "Drops every connection in one state (tcpdrop -a -s STATE)",
                DropReportType.REPORT, a -> report(() -> dropper().dropState(TcpState.parse(a.string("state")),
                        a.bool("listOnly"))), state, listOnly));
        operation(OpenOperation.action("dropStack", "Drops every connection using one stack (tcpdrop -S STACK)",
                DropReportType.REPORT, a -> report(() -> dropper().dropStack(a.string("stack"), a.bool("listOnly"))),
                stack, listOnly));
        operation(OpenOperation.action("dropStackState", "Drops every connection using one stack in one state"
                + " (tcpdrop -S STACK -s STATE)", DropReportType.REPORT,
                a -> report(() -> dropper().dropStackState(a.string("stack"), TcpState.parse(a.string("state")),
                        a.bool("listOnly"))), stack, state, listOnly));
        operation(OpenOperation.action("dropMatching", "Drops every connection an ss filter matches, e.g."
                + " 'state close-wait and sport = :8080' (listeners and protected connections skipped)",
                DropReportType.REPORT, a -> report(() -> dropper().dropMatching(requireFilter(a.string("filter")),
                        a.bool("listOnly"))),
                new OpenParameter("filter", "ss filter: states, sport/dport, src/dst, and/or/not, 'owned', 'stack NAME';"
                        + " must not be empty (dropAll drops everything)", SimpleType.STRING), listOnly));
    }

    /** The dropper acting for whoever made the call on this thread, so that its audit lines name them. */
    private TcpDropper dropper() {
        return dropper.by(CurrentRequester.get());
    }

    private CompositeData report(Supplier<DropReport> drop) {
        if (readOnly) {
            throw new SecurityException(READ_ONLY_MESSAGE);
        }
        return DropReportType.of(drop.get());
    }

    /** An empty filter would match everything: make that an explicit dropAll, never an accident. */
    private static Filter requireFilter(String filter) {
        if (filter.isBlank()) {
            throw new IllegalArgumentException("dropMatching needs a filter; an empty one would match every connection"
                    + " (use dropAll for that)");
        }
        return FilterParser.parseForDrop(filter);
    }
}
