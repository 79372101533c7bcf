package org.tcpjmx.agent.cli;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tcpjmx.model.TcpState;

/**
 * {@code states [--json] [--bars] [--watch SECONDS [-n COUNT]] [--url URL] [FILTER]}: sockets per TCP
 * state, every state listed, zeros included; bars on a terminal; {@code --watch} refreshes like top.
 */
final class StatesCommand implements Command {
    private static final String STATES = "org.tcpjmx:type=States";
    /** Home the cursor and clear the screen (ANSI), as top does between refreshes. */
    private static final String CLEAR = "\033[H\033[2J";

    @Override
    public String name() {
        return "states";
    }

    @Override
    public String usage() {
        return "states [--json] [--bars] [--watch SECONDS [-n COUNT]] [--by-origin] [--url URL] [FILTER]\n"
                + "    sockets per TCP state (the histogram); bars on a terminal (--bars: always);\n"
                + "    --watch: refresh every SECONDS with the change per state, like top (-n: COUNT times)\n"
                + "    --by-origin: the agent's JVM's own sockets grouped by the code that opened them (trackOrigins)\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        RemoteOptions remote = RemoteOptions.parse(args);
        boolean json = false;
        boolean bars = System.console() != null;
        boolean byOrigin = false;
        int watchSeconds = 0;
        int count = 0;
        List<String> filter = new ArrayList<>();
        List<String> rest = remote.rest();
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--by-origin")) {
                byOrigin = true;
            } else if (a.equals("--bars")) {
                bars = true;
            } else if (a.equals("--watch")) {
                watchSeconds = number(rest, ++i, "--watch", 1, 3600);
            } else if (a.equals("-n")) {
                count = number(rest, ++i, "-n", 1, Integer.MAX_VALUE);
            } else if (a.startsWith("-") && filter.isEmpty() && !a.equals("--")) {
                throw new UsageException("unknown option " + a);
            } else if (!a.equals("--")) {
                filter.add(a);
            }
        }
        if (count > 0 && watchSeconds == 0) {
            throw new UsageException("-n counts the refreshes of --watch; give --watch SECONDS too");
        }
        if (json && watchSeconds > 0) {
            throw new UsageException("--watch draws a screen; it does not take --json");
        }
        String expression = String.join(" ", filter);
        if (byOrigin) {
            if (watchSeconds > 0) {
                throw new UsageException("--by-origin lists groups once; it does not take --watch");
            }
            try (MBeanAccess mbeans = remote.open()) {
                Object groups = mbeans.exec("org.tcpjmx:type=Connections", "byOrigin", expression);
                if (json) {
                    JsonOutput.print(groups, console.out());
                } else {
                    OriginGroupsView.print(TableCommand.rowList(groups), console.out());
                }
            }
            return ExitStatus.OK;
        }
        HistogramView view = new HistogramView(bars, HistogramView.utf8Out());
        try (MBeanAccess mbeans = remote.open()) {
            if (watchSeconds == 0) {
                Map<?, ?> histogram = histogram(mbeans, expression);
                if (json) {
                    JsonOutput.print(histogram, console.out());
                } else {
                    view.print(HistogramView.counts(histogram), null, console.out());
                }
                return ExitStatus.OK;
            }
            watch(mbeans, expression, view, watchSeconds, count, console);
        }
        return ExitStatus.OK;
    }

    /** Refreshes until interrupted (Ctrl-C ends the process) or {@code count} refreshes, when given. */
    private static void watch(MBeanAccess mbeans, String filter, HistogramView view, int seconds, int count, Console console) {
        boolean screen = System.console() != null;
        Map<TcpState, Long> previous = null;
        for (int n = 1; count == 0 || n <= count; n++) {
            Map<TcpState, Long> counts = HistogramView.counts(histogram(mbeans, filter));
            if (screen) {
                console.out().print(CLEAR);
            }
            console.out().println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_TIME)
                    + "  every " + seconds + " s" + (filter.isBlank() ? "" : "  filter: " + filter)
                    + (previous == null ? "" : "  (change since the last refresh)"));
            view.print(counts, previous, console.out());
            console.out().flush();
            previous = counts;
            if (count != 0 && n == count) {
                break;
            }
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Map<?, ?> histogram(MBeanAccess mbeans, String filter) {
        Object histogram = mbeans.exec(STATES, "histogram", filter);
        if (!(histogram instanceof Map)) {
            throw new CommandFailure("the States MBean answered " + histogram + " instead of a histogram");
        }
        return (Map<?, ?>) histogram;
    }

    private static int number(List<String> args, int i, String option, int min, int max) {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a number");
        }
        try {
            int n = Integer.parseInt(args.get(i));
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " takes a number from " + min + " to " + max + ", not '" + args.get(i) + "'");
    }
}
