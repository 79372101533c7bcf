package org.tcpjmx.drop;

import org.tcpjmx.model.TcpConnection;

/** How the drop engine names connections and words outcomes, tcpdrop style. */
final class DropOutcomes {
    static final String DROPPED = "dropped";
    static final String NO_SUCH_CONNECTION = "no such connection";
    static final String PROTECTED = "skipped: a protected management connection";
    static final String LISTENER = "refused: listening sockets are never dropped";

    private DropOutcomes() {
    }

    /** {@code LADDR LPORT FADDR FPORT}, numeric, as ss prints the addresses. */
    static String tuple(TcpConnection c) {
        return c.local().addressText() + " " + c.local().port() + " " + c.remote().addressText() + " " + c.remote().port();
    }

    /** One socket, even when two address pairs find it (an IPv4 and its mapped form). */
    static String identity(TcpConnection c) {
        return c.family() + " " + tuple(c) + " " + c.ifindex() + " " + c.cookie() + " " + c.inode();
    }

    /** The outcome for a connection, with tcpdrop's message {@code TUPLE: reason}. */
    static DropOutcome of(String tuple, String state, DropStatus status, String reason) {
        return new DropOutcome(tuple, state, status, tuple + ": " + reason);
    }

    /** {@link #of(String, String, DropStatus, String)} for a row found in the table. */
    static DropOutcome of(TcpConnection c, DropStatus status, String reason) {
        return of(tuple(c), c.state().name(), status, reason);
    }
}
