package org.tcpjmx.drop;

/**
 * The result for one connection.
 *
 * @param tuple {@code LADDR LPORT FADDR FPORT}, numeric, as tcpdrop(8) takes them
 * @param state the connection's state when it was found, or "" when it was not found
 * @param status what happened
 * @param message a line for people, in tcpdrop's form: {@code "LADDR LPORT FADDR FPORT: dropped"}
 *     or {@code "...: Operation not permitted (needs CAP_NET_ADMIN)"}
 */
public record DropOutcome(String tuple, String state, DropStatus status, String message) {
    public DropOutcome {
        if (tuple == null || state == null || status == null || message == null) {
            throw new IllegalArgumentException("a drop outcome has no null fields");
        }
    }
}
