package org.tcpjmx.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tcpjmx.model.TcpState;

/** {@code states [--json] [--url URL] [FILTER]}: sockets per TCP state, every state listed, zeros included. */
final class StatesCommand implements Command {
    private static final String STATES = "org.tcpjmx:type=States";

    @Override
    public String name() {
        return "states";
    }

    @Override
    public String usage() {
        return "states [--json] [--url URL] [FILTER]            sockets per TCP state (the histogram)\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        RemoteOptions remote = RemoteOptions.parse(args);
        boolean json = false;
        List<String> filter = new ArrayList<>();
        for (String a : remote.rest()) {
            if (a.equals("--json")) {
                json = true;
            } else if (a.startsWith("-") && filter.isEmpty() && !a.equals("--")) {
                throw new UsageException("unknown option " + a);
            } else if (!a.equals("--")) {
                filter.add(a);
            }
        }
        Object histogram;
        try (MBeanAccess mbeans = remote.open()) {
            histogram = mbeans.exec(STATES, "histogram", String.join(" ", filter));
        }
        if (!(histogram instanceof Map)) {
            throw new CommandFailure("the States MBean answered " + histogram + " instead of a histogram");
        }
        Map<?, ?> counts = (Map<?, ?>) histogram;
        if (json) {
            JsonOutput.print(histogram, console.out());
            return ExitStatus.OK;
        }
        long total = 0;
        for (TcpState s : TcpState.values()) {
            Object v = counts.get(s.name());
            long n = v instanceof Number ? ((Number) v).longValue() : 0;
            total += n;
            console.out().printf("%-12s %d%n", s.name(), n);
        }
        console.out().printf("%-12s %d%n", "TOTAL", total);
        return ExitStatus.OK;
    }
}
