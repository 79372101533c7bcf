package org.tcpjmx.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code table [--json] [-i] [--url URL] [FILTER]}: the TCP table as {@code ss -tan} shows it (with
 * {@code -i} the tcp_info figures, as {@code ss -tani}), of this host or through a remote agent.
 */
final class TableCommand implements Command {
    private static final String CONNECTIONS = "org.tcpjmx:type=Connections";

    @Override
    public String name() {
        return "table";
    }

    @Override
    public String usage() {
        return "table [--json] [-i] [--url URL] [FILTER]        TCP table like ss -tan (-i: tcp_info)\n"
                + "    FILTER: ss syntax, e.g. state established '( dport = :443 )', plus 'owned', 'stack bbr'\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        RemoteOptions remote = RemoteOptions.parse(args);
        boolean json = false;
        boolean info = false;
        List<String> filter = new ArrayList<>();
        for (String a : remote.rest()) {
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("-i") || a.equals("--info")) {
                info = true;
            } else if (a.startsWith("-") && filter.isEmpty() && !a.equals("--")) {
                throw new UsageException("unknown option " + a);
            } else if (!a.equals("--")) {
                filter.add(a);
            }
        }
        Object rows;
        try (MBeanAccess mbeans = remote.open()) {
            rows = mbeans.exec(CONNECTIONS, info ? "queryWithInfo" : "query", String.join(" ", filter), 0);
        }
        if (json) {
            JsonOutput.print(rows, console.out());
        } else {
            TableFormat.print(rowList(rows), info, console.out());
        }
        return ExitStatus.OK;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rowList(Object rows) {
        if (!(rows instanceof List)) {
            throw new CommandFailure("the Connections MBean answered " + rows + " instead of rows");
        }
        return (List<Map<String, Object>>) rows;
    }
}
