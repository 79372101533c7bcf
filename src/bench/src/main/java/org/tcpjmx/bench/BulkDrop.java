package org.tcpjmx.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
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

    /** Drops with tcpjmx: one dump with the kernel filter, then SOCK_DESTROY by cookie for each row. */
    static Result ours(TcpPlatform platform, SocketFarm farm, int workers) {
        Filter filter = FilterParser.parse(filterText(farm, workers));
        long matched = platform.connections(filter, false).size();
        long t0 = System.nanoTime();
        List<TcpConnection> rows = platform.connections(filter, false);
        List<String> failures = new ArrayList<>();
        for (TcpConnection c : rows) {
            int errno = platform.destroy(c);
            if (errno != 0 && failures.size() < 3) {
                failures.add(c + ": errno " + errno);
            }
        }
        long t1 = System.nanoTime();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the kernel refused to destroy farm sockets, e.g. " + failures);
        }
        return new Result((t1 - t0) / 1e6, matched, platform.connections(filter, false).size());
    }

    /** Drops with {@code ss -K state established '( sport = :P1 or ... )'}, output discarded. */
    static Result ss(TcpPlatform platform, SocketFarm farm, int workers) throws IOException {
        Filter filter = FilterParser.parse(filterText(farm, workers));
        long matched = platform.connections(filter, false).size();
        long t0 = System.nanoTime();
        SsCommand.run(List.of("-K", "-t", "-n", "state", "established", "( " + farm.serverSidePorts(workers) + " )"));
        long t1 = System.nanoTime();
        return new Result((t1 - t0) / 1e6, matched, platform.connections(filter, false).size());
    }
}
