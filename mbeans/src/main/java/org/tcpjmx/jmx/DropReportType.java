package org.tcpjmx.jmx;

import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.drop.DropOutcome;
import org.tcpjmx.drop.DropReport;

/**
 * The open type of a drop result: {@code {matched, dropped, failed, commands[], errors[],
 * outcomes[]}}, where each outcome is {@code {connection, state, status, message}}.
 */
final class DropReportType {
    private static final String[] OUTCOME_ITEMS = {"connection", "state", "status", "message"};
    private static final String[] REPORT_ITEMS = {"matched", "dropped", "failed", "commands", "errors", "outcomes"};
    static final CompositeType OUTCOME;
    static final CompositeType REPORT;

    static {
        try {
            OUTCOME = new CompositeType("org.tcpjmx.DropOutcome", "What happened to one connection", OUTCOME_ITEMS,
                    new String[] {"LADDR LPORT FADDR FPORT, numeric, as tcpdrop takes them",
                        "The state when it was found; empty when not found",
                        "DROPPED, NOT_FOUND, PERMISSION_DENIED, UNSUPPORTED, REFUSED or FAILED",
                        "A line for people, tcpdrop style"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING});
            REPORT = new CompositeType("org.tcpjmx.DropReport", "The result of a drop request", REPORT_ITEMS,
                    new String[] {"Connections the request selected (listeners and protected connections are not counted)",
                        "Connections dropped",
                        "Connections selected and not dropped",
                        "With listOnly (tcpdrop -l): one 'tcpdrop LADDR LPORT FADDR FPORT' line per match; else empty",
                        "One message per connection not dropped",
                        "One entry per connection attempted, and one (REFUSED) per protected connection skipped;"
                            + " empty with listOnly"},
                    new OpenType<?>[] {SimpleType.INTEGER, SimpleType.INTEGER, SimpleType.INTEGER,
                        ArrayType.getArrayType(SimpleType.STRING), ArrayType.getArrayType(SimpleType.STRING),
                        ArrayType.getArrayType(OUTCOME)});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DropReportType() {
    }

    static CompositeData of(DropReport r) {
        CompositeData[] outcomes = new CompositeData[r.outcomes().size()];
        try {
            for (int i = 0; i < outcomes.length; i++) {
                DropOutcome o = r.outcomes().get(i);
                outcomes[i] = new CompositeDataSupport(OUTCOME, OUTCOME_ITEMS,
                        new Object[] {o.tuple(), o.state(), o.status().name(), o.message()});
            }
            return new CompositeDataSupport(REPORT, REPORT_ITEMS, new Object[] {r.matched(), r.dropped(), r.failed(),
                r.commands().toArray(new String[0]), r.errors().toArray(new String[0]), outcomes});
        } catch (OpenDataException e) {
            throw new IllegalStateException("drop report does not fit its open type: " + e.getMessage(), e);
        }
    }
}
