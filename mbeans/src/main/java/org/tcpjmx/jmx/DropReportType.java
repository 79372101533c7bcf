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
                            + " empty with listOnly. Past what the answer budget holds the rest are left out and"
                            + " the last error line says how many"},
                    new OpenType<?>[] {SimpleType.INTEGER, SimpleType.INTEGER, SimpleType.INTEGER,
                        ArrayType.getArrayType(SimpleType.STRING), ArrayType.getArrayType(SimpleType.STRING),
                        ArrayType.getArrayType(OUTCOME)});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DropReportType() {
    }

    /**
     * The report as its open type, with at most {@code maxEntries} outcomes and errors; when some are
     * left out, a last error line says how many (the counts stay whole).
     */
    static CompositeData of(DropReport r, int maxEntries) {
        CompositeData[] outcomes = new CompositeData[Math.min(maxEntries, r.outcomes().size())];
        int errorsKept = Math.min(maxEntries, r.errors().size());
        String[] errors = new String[errorsKept + (errorsKept < r.errors().size() || outcomes.length < r.outcomes().size() ? 1 : 0)];
        for (int i = 0; i < errorsKept; i++) {
            errors[i] = r.errors().get(i);
        }
        if (errors.length > errorsKept) {
            errors[errorsKept] = (r.outcomes().size() - outcomes.length) + " outcomes and " + (r.errors().size() - errorsKept)
                    + " errors are left out of this answer to keep it within the answer budget; matched, dropped and"
                    + " failed count them all, and the audit log has every line";
        }
        try {
            for (int i = 0; i < outcomes.length; i++) {
                DropOutcome o = r.outcomes().get(i);
                outcomes[i] = new CompositeDataSupport(OUTCOME, OUTCOME_ITEMS,
                        new Object[] {o.tuple(), o.state(), o.status().name(), o.message()});
            }
            return new CompositeDataSupport(REPORT, REPORT_ITEMS, new Object[] {r.matched(), r.dropped(), r.failed(),
                r.commands().toArray(new String[0]), errors, outcomes});
        } catch (OpenDataException e) {
            throw new IllegalStateException("drop report does not fit its open type: " + e.getMessage(), e);
        }
    }
}
