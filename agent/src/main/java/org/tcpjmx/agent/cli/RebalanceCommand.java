package org.tcpjmx.agent.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tcpjmx.drop.RebalanceJobs;

/**
 * {@code rebalance [--url URL] [-l] [--rate N] FRACTION [FILTER]}: the Drop MBean's paced, fractional
 * drop, here (a private registration in this process) or through a remote agent. It starts the job,
 * follows it (a progress bar on a terminal, a plain line a second otherwise) and waits for its end;
 * Ctrl-C cancels the job before the command exits. {@code -l} prints the tcpdrop lines of the
 * selection and drops nothing. Exit 0 when every selected connection was dropped or was gone
 * already, 1 when some failed or the job was cancelled, 64 for a usage error.
 */
final class RebalanceCommand implements Command {
    private static final String DROP = "org.tcpjmx:type=Drop";
    /** Drops per second without --rate: gentle enough for a few hundred clients to come back spread out. */
    static final int DEFAULT_RATE = 10;
    static final int MAX_RATE = RebalanceJobs.MAX_RATE;
    private static final long POLL_MILLIS = 200;
    private static final int BAR_WIDTH = 30;

    @Override
    public String name() {
        return "rebalance";
    }

    @Override
    public String usage() {
        return "rebalance [--url URL|--pid PID] [-l] [--rate N] FRACTION [FILTER]\n"
                + "    paced drop of FRACTION (0-1] of each peer's connections the ss FILTER matches (all without one),\n"
                + "    N a second (default " + DEFAULT_RATE + "; 0: at once); -l: list the selection, drop nothing;\n"
                + "    Ctrl-C cancels the job\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        RemoteOptions remote = RemoteOptions.parse(args);
        boolean list = false;
        int rate = DEFAULT_RATE;
        Double fraction = null;
        List<String> filter = new ArrayList<>();
        List<String> rest = remote.rest();
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            boolean option = filter.isEmpty();
            if (option && a.equals("-l")) {
                list = true;
            } else if (option && (a.equals("--rate") || a.startsWith("--rate="))) {
                String value = a.startsWith("--rate=") ? a.substring("--rate=".length())
                        : i + 1 < rest.size() ? rest.get(++i) : null;
                rate = rate(value);
            } else if (option && a.equals("--")) {
                continue;
            } else if (option && a.startsWith("-") && !a.matches("-[0-9.].*")) {
                throw new UsageException("unknown option " + a);
            } else if (fraction == null) {
                fraction = fraction(a);
            } else {
                filter.add(a);
            }
        }
        if (fraction == null) {
            throw new UsageException("missing FRACTION, e.g. 0.33 to move a third of each client's connections away");
        }
        String expression = String.join(" ", filter);
        try (MBeanAccess mbeans = remote.open()) {
            Map<?, ?> job = map(mbeans.exec(DROP, "rebalance", expression, fraction, rate, list), "a rebalance job");
            if (list) {
                for (Object c : asList(job.get("commands"))) {
                    console.out().print(c + "\n");
                }
                console.err().print("rebalance -l: " + job.get("selected") + " of " + job.get("matched")
                        + " matched connections selected, none dropped\n");
                return ExitStatus.OK;
            }
            return follow(mbeans, job, console);
        }
    }

    /** Follows the job to its end, cancelling it when the command is interrupted (Ctrl-C). */
    private static int follow(MBeanAccess mbeans, Map<?, ?> job, Console console) {
        String id = String.valueOf(job.get("id"));
        AtomicBoolean ended = new AtomicBoolean();
        Thread cancelOnExit = new Thread(() -> {
            if (!ended.get()) {
                try {
                    mbeans.exec(DROP, "cancel", id);
                    console.err().print("\nrebalance: job " + id + " cancelled\n");
                } catch (RuntimeException e) {
                    console.err().print("\nrebalance: cancelling job " + id + " failed: " + e.getMessage() + "\n");
                }
                console.err().flush();
            }
        }, "tcpjmx-rebalance-cancel");
        Runtime.getRuntime().addShutdownHook(cancelOnExit);
        boolean terminal = System.console() != null;
        PrintStream out = console.out();
        out.print("rebalance job " + id + ": " + job.get("selected") + " of " + job.get("matched")
                + " matched connections selected" + pace(job) + "\n");
        String last = "";
        long lastLine = 0;
        try {
            while (true) {
                if (!"RUNNING".equals(job.get("state"))) {
                    break;
                }
                String progress = progress(job, terminal);
                long now = System.nanoTime();
                if (terminal) {
                    out.print("\r" + progress);
                } else if (!progress.equals(last) && now - lastLine >= 1_000_000_000L) {
                    out.print(progress + "\n");
                    last = progress;
                    lastLine = now;
                }
                out.flush();
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CommandFailure("interrupted; job " + id + " cancelled", e);
                }
                job = find(mbeans, id);
            }
            ended.set(true);
        } finally {
            if (ended.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cancelOnExit);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down already; the hook sees the job ended
                }
            }
        }
        if (terminal) {
            out.print("\r" + progress(job, true) + "\n");
        }
        for (Object e : asList(job.get("errors"))) {
            console.err().print("rebalance: " + e + "\n");
        }
        out.print("rebalance job " + id + " " + job.get("state") + ": " + job.get("dropped") + " dropped, "
                + job.get("notFound") + " gone before their turn, " + job.get("failed") + " failed, of "
                + job.get("selected") + " selected\n");
        boolean ok = "DONE".equals(job.get("state")) && number(job.get("failed")) == 0;
        return ok ? ExitStatus.OK : ExitStatus.FAILED;
    }

    private static Map<?, ?> find(MBeanAccess mbeans, String id) {
        for (Object j : asList(mbeans.read(DROP, "Jobs"))) {
            Map<?, ?> m = map(j, "a rebalance job");
            if (id.equals(String.valueOf(m.get("id")))) {
                return m;
            }
        }
        throw new CommandFailure("rebalance job " + id + " is no longer listed in Jobs (was the agent detached?)");
    }

    private static String pace(Map<?, ?> job) {
        long perSecond = number(job.get("perSecond"));
        if (perSecond <= 0) {
            return ", dropping them at once";
        }
        long seconds = Math.max(0, (number(job.get("expectedEnd")) - number(job.get("started")) + 999) / 1000);
        return ", dropping " + perSecond + " a second (about " + seconds + " s)";
    }

    /** {@code [#####-----] 12/20  dropped 11  gone 1  failed 0}, with a bar on a terminal. */
    static String progress(Map<?, ?> job, boolean bar) {
        long selected = number(job.get("selected"));
        long dropped = number(job.get("dropped"));
        long gone = number(job.get("notFound"));
        long failed = number(job.get("failed"));
        long done = dropped + gone + failed;
        String counts = done + "/" + selected + "  dropped " + dropped + "  gone " + gone + "  failed " + failed;
        if (!bar) {
            return counts;
        }
        int filled = selected == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * done / selected);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + counts;
    }

    static double fraction(String s) {
        try {
            double f = Double.parseDouble(s);
            if (f > 0 && f <= 1) {
                return f;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("FRACTION '" + s + "' is not a number in (0, 1]: 0.33 drops a third of each peer's"
                + " connections, 1 drains them all");
    }

    static int rate(String s) {
        if (s != null) {
            try {
                int n = Integer.parseInt(s);
                if (n >= 0 && n <= MAX_RATE) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new UsageException("--rate takes drops per second from 1 to " + MAX_RATE + " (0: as fast as possible), not '"
                + s + "'");
    }

    private static long number(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : 0;
    }

    private static Map<?, ?> map(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new CommandFailure("the Drop MBean answered " + o + " instead of " + what);
        }
        return (Map<?, ?>) o;
    }

    private static List<?> asList(Object o) {
        return o instanceof List ? (List<?>) o : List.of();
    }
}
