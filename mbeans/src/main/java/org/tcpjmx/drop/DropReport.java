package org.tcpjmx.drop;

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

    /** Whether nothing failed (tcpdrop exits 0). */
    public boolean succeeded() {
        return failed == 0;
    }
}
