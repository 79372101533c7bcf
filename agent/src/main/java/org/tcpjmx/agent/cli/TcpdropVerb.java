package org.tcpjmx.agent.cli;

import java.util.List;
import java.util.Map;
import org.tcpjmx.drop.TcpDropper;
import org.tcpjmx.drop.TcpdropArguments;
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
                dropper = new TcpDropper(TcpPlatforms.open()).by(LocalMBeans.REQUESTER);
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
        if (inv.args.help()) {
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
        return print(report, inv.args.list(), console);
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

    /** A tcpdrop command line, parsed as {@link TcpdropCommand} parses it, turned into one Drop operation. */
    static final class Invocation {
        final TcpdropArguments args;

        private Invocation(TcpdropArguments args) {
            this.args = args;
        }

        static Invocation parse(List<String> args) {
            TcpdropArguments a = TcpdropArguments.parse(args.toArray(new String[0]));
            if (!a.help() && !a.bulk()) {
                a.requireNonBlankConnection();
            }
            return new Invocation(a);
        }

        Object send(MBeanAccess mbeans) {
            boolean list = args.list();
            TcpState state = args.state().orElse(null);
            if (!args.bulk()) {
                return mbeans.exec(DROP, "dropSpec", String.join(" ", args.positional()));
            }
            List<String> stacks = args.stacks();
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
    }
}
