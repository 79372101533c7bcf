package org.tcpjmx.bench;

import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tcpjmx.drop.DropReport;
import org.tcpjmx.drop.TcpDropper;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.DestroyResult;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.platform.TcpPlatform;

/**
 * The destructive comparison: our bulk drop against {@code ss -K} on an equal, fresh set of farm
 * sockets. Only the farm's own accepted sockets are ever named (ESTABLISHED, local port one of the
 * farm's listener ports), so nothing else on the host is touched.
 */
final class BulkDrop {
    /**
     * What one drop did.
     *
     * @param millis wall time of the whole drop, dump included
     * @param matched farm sockets the filter selected before the drop
     * @param left farm sockets the filter still finds afterwards
     */
    record Result(double millis, long matched, long left) {
    }

    private BulkDrop() {
    }

    /** The filter naming the accepted sockets of the farm's first {@code workers} workers. */
    static String filterText(SocketFarm farm, int workers) {
        return "state established and ( " + farm.serverSidePorts(workers) + " )";
    }

    /**
     * Drops with tcpjmx's drop engine, as the Drop MBean and tcpdrop do: one dump with the kernel
     * filter, then for each row a lookup (fresh cookie), SOCK_DESTROY and a second lookup that
     * proves the socket gone, and (with {@code audit}) an INFO audit line through SLF4J.
     */
    static Result ours(TcpPlatform platform, SocketFarm farm, int workers, boolean audit) {
        Filter filter = FilterParser.parse(filterText(farm, workers));
        long matched = platform.connections(filter, false).size();
        TcpDropper dropper = new TcpDropper(platform);
        // Without the audit line: what the drop engine costs when its INFO log is switched off.
        Logger dropLog = Logger.getLogger(TcpDropper.class.getPackageName());
        Level before = dropLog.getLevel();
        if (!audit) {
            dropLog.setLevel(Level.WARNING);
        }
        long t0 = System.nanoTime();
        DropReport report;
        try {
            report = dropper.dropMatching(filter, false);
        } finally {
            dropLog.setLevel(before);
        }
        long t1 = System.nanoTime();
        if (report.failed() != 0 || report.dropped() != matched) {
            throw new IllegalStateException("the drop engine dropped " + report.dropped() + " of " + matched
                    + " farm sockets; first errors: " + report.errors().subList(0, Math.min(3, report.errors().size())));
        }
        return new Result((t1 - t0) / 1e6, report.dropped(), platform.connections(filter, false).size());
    }

    /**
     * The platform alone: one dump, then SOCK_DESTROY for each row, nothing else, which is what
     * {@code ss -K} does; shows what the drop engine's per-connection lookups and audit cost on top.
     */
    static Result platform(TcpPlatform platform, SocketFarm farm, int workers) {
        Filter filter = FilterParser.parse(filterText(farm, workers));
        long matched = platform.connections(filter, false).size();
        long t0 = System.nanoTime();
        List<TcpConnection> rows = platform.connections(filter, false);
        int refused = 0;
        String firstRefusal = "";
        for (TcpConnection c : rows) {
            DestroyResult result = platform.destroy(c);
            if (!result.destroyed()) {
                refused++;
                firstRefusal = firstRefusal.isEmpty() ? result.kind() + " " + result.detail() : firstRefusal;
            }
        }
        long t1 = System.nanoTime();
        if (refused != 0) {
            throw new IllegalStateException("the kernel refused " + refused + " of " + rows.size() + " destroys, first " + firstRefusal);
        }
        return new Result((t1 - t0) / 1e6, rows.size(), platform.connections(filter, false).size());
    }

    /** Drops with {@code ss -K state established '( src 127.0.0.1:P1 or ... )'}, output discarded. */
    static Result ss(TcpPlatform platform, SocketFarm farm, int workers) throws IOException {
        Filter filter = FilterParser.parse(filterText(farm, workers));
        long matched = platform.connections(filter, false).size();
        long t0 = System.nanoTime();
        SsCommand.run(List.of("-K", "-t", "-n", "state", "established", "( " + farm.serverSidePorts(workers) + " )"));
        long t1 = System.nanoTime();
        return new Result((t1 - t0) / 1e6, matched, platform.connections(filter, false).size());
    }
}
