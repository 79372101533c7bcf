package org.tcpjmx.agent.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code table [--json] [-i] [-m] [-p] [--limit N] [--url URL] [FILTER]}: the TCP table as {@code ss -tan} shows
 * it (with {@code -i} the tcp_info figures, as {@code ss -tani}; with {@code -m} socket memory, as
 * {@code ss -tanm}; with {@code -p} the process of each socket, as {@code ss -tanp}), of this host or through a remote agent.
 *
 * <p>The rows come page by page ({@code queryPage}, in the agent's paging order: socket cookie), each
 * page printed as it arrives, so neither the agent's heap nor this one ever holds the whole table:
 * an agent keeps every answer within its answer budget. Through an agent the table stops at
 * {@value #REMOTE_LIMIT} rows unless {@code --limit} says otherwise ({@code --limit 0}: every row).
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
        return "table [--json] [-i] [-m] [-p] [--origins] [--limit N] [--url URL] [FILTER]   TCP table like ss -tan"
                + " (-i: tcp_info, -m: memory, -p: processes, --origins: the code that opened each)\n"
                + "    FILTER: ss syntax, e.g. state established '( dport = :443 )', plus 'owned', 'stack bbr'\n"
                + "    --limit N: at most N rows (0: all, page by page; through --url the default is " + REMOTE_LIMIT + ")\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        RemoteOptions remote = RemoteOptions.parse(args);
        boolean json = false;
        boolean info = false;
        boolean memory = false;
        boolean processes = false;
        boolean origins = false;
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
            } else if (a.equals("--origins")) {
                origins = true;
            } else if (a.startsWith("-") && filter.isEmpty() && !a.equals("--")) {
                throw new UsageException("unknown option " + a);
            } else if (!a.equals("--")) {
                filter.add(a);
            }
        }
        boolean more;
        try (MBeanAccess mbeans = remote.open()) {
            if (processes && (info || memory)) {
                throw new UsageException("-p does not combine with -i or -m: the agent answers processes or tcp_info rows");
            }
            if (processes) {
                // No pages for -p: the owner scan is one walk of every process; the answer budget bounds it.
                Object rows = mbeans.exec(CONNECTIONS, "queryWithProcesses", String.join(" ", filter), limit);
                more = limit > 0 && rowList(rows).size() >= limit;
                if (json) {
                    JsonOutput.print(rows, console.out());
                } else {
                    TableFormat.print(rowList(rows), false, false, true, console.out());
                }
            } else {
                more = pages(mbeans, String.join(" ", filter), info, memory, origins, limit, json, console.out());
            }
        }
        if (more) {
            console.err().println("tcpjmx table: the first " + limit + " rows; --limit 0 shows all, a filter fewer");
        }
        return ExitStatus.OK;
    }

    /**
     * Prints pages until the table or the limit ends.
     *
     * @return whether the limit cut the table short
     */
    private static boolean pages(MBeanAccess mbeans, String filter, boolean info, boolean memory, boolean origins, int limit,
                                 boolean json, PrintStream out) {
        int pageRows = ((Number) mbeans.read(CONNECTIONS, "PageRows")).intValue();
        String after = "";
        long printed = 0;
        if (json) {
            out.print("[");
        }
        while (true) {
            long wanted = limit > 0 ? Math.min(pageRows, limit - printed) : pageRows;
            Map<String, Object> page = page(mbeans.exec(CONNECTIONS, info || memory ? "queryPageWithInfo" : "queryPage", filter, after,
                    (int) wanted));
            List<Map<String, Object>> rows = rowList(page.get("rows"));
            if (json) {
                for (Map<String, Object> r : rows) {
                    out.print(printed++ == 0 ? "" : ",");
                    out.print(JsonOutput.text(r));
                }
            } else {
                if (origins) {
                    printWithOrigins(rows, info, memory, printed == 0, out);
                } else {
                    TableFormat.print(rows, info, memory, false, printed == 0, out);
                }
                printed += rows.size();
            }
            out.flush();
            after = String.valueOf(page.get("next"));
            if (after.isEmpty() || (limit > 0 && printed >= limit)) {
                break;
            }
        }
        if (json) {
            out.println("]");
        }
        return !after.isEmpty();
    }

    /**
     * The table with an Origin column: the code of this JVM that opened each of its own sockets
     * ({@code origin}, with trackOrigins on), empty for other processes' sockets and unknown ones.
     */
    private static void printWithOrigins(List<Map<String, Object>> rows, boolean info, boolean memory, boolean header, PrintStream out) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        TableFormat.print(rows, info, memory, false, header, new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        int first = lines.size() - rows.size(); // the header line, when printed
        for (int i = 0; i < lines.size(); i++) {
            String origin = i < first ? "Origin" : String.valueOf(rows.get(i - first).getOrDefault("origin", ""));
            out.println(lines.get(i) + " " + origin);
        }
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
    private static Map<String, Object> page(Object page) {
        if (!(page instanceof Map)) {
            throw new CommandFailure("the Connections MBean answered " + page + " instead of a page of rows");
        }
        return (Map<String, Object>) page;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rowList(Object rows) {
        if (!(rows instanceof List)) {
            throw new CommandFailure("the Connections MBean answered " + rows + " instead of rows");
        }
        return (List<Map<String, Object>>) rows;
    }
}
