package org.tcpjmx.drop;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.model.Requester;
import org.tcpjmx.model.TcpConnection;

/**
 * The audit log: one INFO line per drop and per refusal,
 * {@code tcpdrop TUPLE [STATE]: STATUS (reason) by REQUESTER}, through SLF4J under the logger of
 * {@link TcpDropper} (the name operators configure). Written once per request, when every outcome is
 * known; nothing else writes audit lines.
 */
final class DropAuditLog {
    /** The logger operators know: the drop engine's. */
    private static final Logger LOG = LoggerFactory.getLogger(TcpDropper.class);
    private static final int AUDIT_LINES_PER_RECORD = 500;

    private DropAuditLog() {
    }

    /**
     * Writes one line per outcome. A bulk drop writes its lines in records of up to
     * {@value #AUDIT_LINES_PER_RECORD}: one SLF4J call per line costs more than the drop itself
     * (java.util.logging infers the caller and flushes each record; src/docs/benchmark.md has the figures).
     */
    static void outcomes(List<DropOutcome> outcomes, Requester requester) {
        String by = " by " + requester.describe();
        StringBuilder lines = new StringBuilder();
        int n = 0;
        for (DropOutcome o : outcomes) {
            if (n > 0) {
                lines.append('\n');
            }
            String reason = o.message().substring(o.tuple().length() + 2);
            lines.append("tcpdrop ").append(o.tuple()).append(" [").append(o.state().isEmpty() ? "-" : o.state()).append("]: ")
                    .append(o.status()).append(" (").append(reason).append(')').append(by);
            if (++n == AUDIT_LINES_PER_RECORD) {
                LOG.info("{}", lines);
                lines.setLength(0);
                n = 0;
            }
        }
        if (n > 0) {
            LOG.info("{}", lines);
        }
    }

    /** {@code tcpdrop -l} leaves a protected connection out of its list. */
    static void notListed(TcpConnection row, Requester requester) {
        LOG.info("tcpdrop -l {} [{}]: not listed, a protected management connection, by {}",
                DropOutcomes.tuple(row), row.state(), requester.describe());
    }

    /** {@code tcpdrop -S STACK -s TIME_WAIT} selects nothing. */
    static void timeWaitHasNoStack(String stack, Requester requester) {
        LOG.info("tcpdrop -S {} -s TIME_WAIT: TIME_WAIT sockets have no stack; nothing to drop, by {}",
                stack, requester.describe());
    }
}
