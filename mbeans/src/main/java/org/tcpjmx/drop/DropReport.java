package org.tcpjmx.drop;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of one drop request, as the JMX {@code Drop} operations return it.
 *
 * @param matched connections the request selected (protected and refused ones included)
 * @param dropped connections dropped
 * @param failed connections selected and not dropped (refused, denied, unsupported, not found, failed)
 * @param commands in list mode ({@code -l}), one {@code tcpdrop LADDR LPORT FADDR FPORT} line per match; else empty
 * @param errors one message per connection not dropped, tcpdrop style
 * @param outcomes one per connection attempted (empty in list mode)
 */
public record DropReport(int matched, int dropped, int failed, List<String> commands, List<String> errors,
                         List<DropOutcome> outcomes) {
    public DropReport {
        commands = List.copyOf(commands);
        errors = List.copyOf(errors);
        outcomes = List.copyOf(outcomes);
    }

    /** The report of a drop: every outcome not DROPPED is a failure, its message an error. Writes no audit line. */
    static DropReport of(int matched, List<DropOutcome> outcomes) {
        int dropped = 0;
        List<String> errors = new ArrayList<>();
        for (DropOutcome o : outcomes) {
            if (o.status() == DropStatus.DROPPED) {
                dropped++;
            } else {
                errors.add(o.message());
            }
        }
        return new DropReport(matched, dropped, outcomes.size() - dropped, List.of(), errors, outcomes);
    }

    /** The report of {@code tcpdrop -l}: the command lines, nothing dropped. */
    static DropReport listed(List<String> commands) {
        return new DropReport(commands.size(), 0, 0, commands, List.of(), List.of());
    }

    /**
     * This report with the connections a bulk drop spared on purpose appended to its outcomes; like
     * listeners they are neither matched nor failed.
     */
    DropReport withSpared(List<DropOutcome> spared) {
        if (spared.isEmpty()) {
            return this;
        }
        List<DropOutcome> all = new ArrayList<>(outcomes);
        all.addAll(spared);
        return new DropReport(matched, dropped, failed, commands, errors, all);
    }

    /** Whether nothing failed (tcpdrop exits 0). */
    public boolean succeeded() {
        return failed == 0;
    }
}
