package org.tcpjmx.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tcpjmx.drop.TcpDropper;
import org.tcpjmx.drop.TcpdropCommand;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * {@code tcpdrop ...}: tcpdrop(8) on this host ({@link TcpdropCommand}), or with {@code --url}
 * through a remote agent's {@code org.tcpjmx:type=Drop} MBean, with the same flags, output and exit
 * status. Remotely, the agent's protection of its management connections and its {@code readOnly}
 * option apply.
 */
final class TcpdropVerb implements Command {
    private static final String DROP = "org.tcpjmx:type=Drop";

    @Override
    public String name() {
        return "tcpdrop";
    }

    @Override
    public String usage() {
        return "tcpdrop [--url URL] ARGS                        tcpdrop(8): LADDR LPORT FADDR FPORT | [-l] -a |\n"
                + "                                                [-l] -s STATE | [-l] -S STACK [-s STATE] | -C ALGO\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        RemoteOptions remote = RemoteOptions.parse(args);
        if (remote.url().isEmpty()) {
            TcpDropper dropper;
            try {
                dropper = new TcpDropper(TcpPlatforms.open());
            } catch (RuntimeException e) {
                throw new CommandFailure("cannot read this host's TCP table: " + e.getMessage(), e);
            }
            return TcpdropCommand.run(remote.rest().toArray(new String[0]), dropper, console.out(), console.err());
        }
        Invocation inv;
        try {
            inv = Invocation.parse(remote.rest());
        } catch (IllegalArgumentException e) {
            console.err().print("tcpdrop: " + e.getMessage() + "\n" + TcpdropCommand.usage());
            return ExitStatus.USAGE;
        }
        if (inv.help) {
            console.out().print(TcpdropCommand.usage());
            return ExitStatus.OK;
        }
        Object report;
        try (MBeanAccess mbeans = remote.open()) {
            report = inv.send(mbeans);
        } catch (UsageException e) {
            console.err().print("tcpdrop: " + e.getMessage() + "\n" + TcpdropCommand.usage());
            return ExitStatus.USAGE;
        }
        return print(report, inv.list, console);
    }

    private static int print(Object report, boolean list, Console console) {
        if (!(report instanceof Map)) {
            throw new CommandFailure("the Drop MBean answered " + report + " instead of a drop report");
        }
        Map<?, ?> r = (Map<?, ?>) report;
        if (list) {
            for (Object c : asList(r.get("commands"))) {
                console.out().print(c + "\n");
            }
        } else {
            for (Object o : asList(r.get("outcomes"))) {
                Map<?, ?> outcome = (Map<?, ?>) o;
                if ("DROPPED".equals(outcome.get("status"))) {
                    console.out().print(outcome.get("message") + "\n");
                } else {
                    console.err().print("tcpdrop: " + outcome.get("message") + "\n");
                }
            }
        }
        Object failed = r.get("failed");
        return failed instanceof Number && ((Number) failed).intValue() == 0 ? ExitStatus.OK : ExitStatus.FAILED;
    }

    private static List<?> asList(Object o) {
        return o instanceof List ? (List<?>) o : List.of();
    }

    /** A tcpdrop command line (getopt rules, as {@link TcpdropCommand} parses it) turned into one Drop operation. */
    static final class Invocation {
        boolean all;
        boolean list;
        boolean help;
        TcpState state;
        String stack;
        String congestion;
        final List<String> positional = new ArrayList<>();

        static Invocation parse(List<String> args) {
            Invocation o = new Invocation();
            int i = 0;
            while (i < args.size()) {
                String a = args.get(i);
                if (a.equals("--")) {
                    i++;
                    break;
                }
                if (a.equals("-h") || a.equals("--help")) {
                    o.help = true;
                    return o;
                }
                if (a.length() < 2 || a.charAt(0) != '-') {
                    break;
                }
                i++;
                for (int k = 1; k < a.length(); k++) {
                    char f = a.charAt(k);
                    if (f == 'a') {
                        o.all = true;
                    } else if (f == 'l') {
                        o.list = true;
                    } else if (f == 's' || f == 'S' || f == 'C') {
                        String value;
                        if (k + 1 < a.length()) {
                            value = a.substring(k + 1);
                        } else if (i < args.size()) {
                            value = args.get(i++);
                        } else {
                            throw new IllegalArgumentException("option -" + f + " needs an argument");
                        }
                        k = a.length();
                        if (f == 's') {
                            o.state = droppableState(value);
                        } else if (f == 'S') {
                            o.stack = value;
                        } else {
                            o.congestion = value;
                        }
                    } else {
                        throw new IllegalArgumentException("unknown option -" + f);
                    }
                }
            }
            o.positional.addAll(args.subList(i, args.size()));
            if (o.bulk()) {
                if (!o.positional.isEmpty()) {
                    throw new IllegalArgumentException("-a, -s, -S and -C select connections themselves and take no connection arguments, got " + o.positional);
                }
            } else if (o.list) {
                throw new IllegalArgumentException("-l lists what -a, -s, -S or -C select; it does not take a connection");
            } else if (o.positional.size() != 4 && o.positional.size() != 2) {
                throw new IllegalArgumentException(o.positional.isEmpty() ? "missing arguments"
                        : "expected 4 arguments (LADDR LPORT FADDR FPORT) or 2 (LADDR:LPORT FADDR:FPORT), got " + o.positional.size());
            }
            return o;
        }

        boolean bulk() {
            return all || state != null || stack != null || congestion != null;
        }

        Object send(MBeanAccess mbeans) {
            if (!bulk()) {
                return mbeans.exec(DROP, "dropSpec", String.join(" ", positional));
            }
            List<String> stacks = new ArrayList<>(2);
            for (String s : new String[] {stack, congestion}) {
                if (s != null && stacks.stream().noneMatch(s::equalsIgnoreCase)) {
                    stacks.add(s);
                }
            }
            if (stacks.isEmpty()) {
                return state == null ? mbeans.exec(DROP, "dropAll", list) : mbeans.exec(DROP, "dropState", state.name(), list);
            }
            if (stacks.size() == 1) {
                return state == null ? mbeans.exec(DROP, "dropStack", stacks.get(0), list)
                        : mbeans.exec(DROP, "dropStackState", stacks.get(0), state.name(), list);
            }
            // -S and -C naming two modules: a socket has one, so nothing matches; the agent still validates both.
            String filter = "stack " + stacks.get(0) + " and stack " + stacks.get(1) + (state == null ? "" : " and state " + state.ssName());
            return mbeans.exec(DROP, "dropMatching", filter, list);
        }

        private static TcpState droppableState(String value) {
            TcpState s;
            try {
                s = TcpState.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-s '" + value + "': " + e.getMessage(), e);
            }
            if (!TcpDropper.DROPPABLE_STATES.contains(s)) {
                throw new IllegalArgumentException("-s " + value + ": " + (s == TcpState.LISTEN
                        ? "listening sockets are never dropped" : "a CLOSED socket has no connection to drop"));
            }
            return s;
        }
    }
}
