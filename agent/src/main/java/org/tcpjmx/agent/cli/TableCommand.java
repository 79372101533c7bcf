package org.tcpjmx.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code table [--json] [-i] [-m] [-p] [--limit N] [--url URL] [FILTER]}: the TCP table as {@code ss -tan} shows
 * it (with {@code -i} the tcp_info figures, as {@code ss -tani}; with {@code -m} socket memory, as
 * {@code ss -tanm}; with {@code -p} the process of each socket, as {@code ss -tanp}), of this host or through a remote agent.
 *
 * <p>Through an agent the answer is built in the target JVM's heap (about 7 kB per row while Jolokia
 * serializes it: 128k rows took 800 MB), so a remote table stops at {@value #REMOTE_LIMIT} rows
 * unless {@code --limit} says otherwise; a filter is the better way to a small answer.
 */
final class TableCommand implements Command {
    private static final String CONNECTIONS = "org.tcpjmx:type=Connections";
    /** Default row limit through a remote agent; locally there is none. */
    static final int REMOTE_LIMIT = 10_000;

    @Override
    public String name() {
        return "table";
    }

    @Override
    public String usage() {
        return "table [--json] [-i] [-m] [-p] [--limit N] [--url URL] [FILTER]   TCP table like ss -tan"
                + " (-i: tcp_info, -m: memory, -p: processes)\n"
                + "    FILTER: ss syntax, e.g. state established '( dport = :443 )', plus 'owned', 'stack bbr'\n"
                + "    --limit N: at most N rows (0: all; through --url the default is " + REMOTE_LIMIT + ")\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        RemoteOptions remote = RemoteOptions.parse(args);
        boolean json = false;
        boolean info = false;
        boolean memory = false;
        boolean processes = false;
        int limit = remote.url().isPresent() ? REMOTE_LIMIT : 0;
        List<String> filter = new ArrayList<>();
        List<String> rest = remote.rest();
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("--limit")) {
                if (i + 1 >= rest.size()) {
                    throw new UsageException("--limit needs a number of rows");
                }
                limit = parseLimit(rest.get(++i));
            } else if (a.equals("--json")) {
                json = true;
            } else if (a.equals("-i") || a.equals("--info")) {
                info = true;
            } else if (a.equals("-m") || a.equals("--memory")) {
                memory = true;
            } else if (a.equals("-p") || a.equals("--processes")) {
                processes = true;
            } else if (a.startsWith("-") && filter.isEmpty() && !a.equals("--")) {
                throw new UsageException("unknown option " + a);
            } else if (!a.equals("--")) {
                filter.add(a);
            }
        }
        Object rows;
        try (MBeanAccess mbeans = remote.open()) {
            if (processes && (info || memory)) {
                throw new UsageException("-p does not combine with -i or -m: the agent answers processes or tcp_info rows");
            }
            String operation = processes ? "queryWithProcesses" : info || memory ? "queryWithInfo" : "query";
            rows = mbeans.exec(CONNECTIONS, operation, String.join(" ", filter), limit);
        }
        if (limit > 0 && rowList(rows).size() >= limit) {
            console.err().println("tcpjmx table: the first " + limit + " rows; --limit 0 shows all, a filter fewer");
        }
        if (json) {
            JsonOutput.print(rows, console.out());
        } else {
            TableFormat.print(rowList(rows), info, memory, processes, console.out());
        }
        return ExitStatus.OK;
    }

    private static int parseLimit(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Falls through to the message.
        }
        throw new UsageException("--limit " + value + " is not a number of rows (0 for all)");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rowList(Object rows) {
        if (!(rows instanceof List)) {
            throw new CommandFailure("the Connections MBean answered " + rows + " instead of rows");
        }
        return (List<Map<String, Object>>) rows;
    }
}
