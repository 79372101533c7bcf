package org.tcpjmx.drop;

import java.io.PrintStream;
import java.util.List;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.TcpState;

/**
 * tcpdrop(8)'s command line as a library: the agent's {@code tcpdrop} verb and the {@code tcpdrop}
 * launcher script run this.
 *
 * <pre>
 * tcpdrop local-address local-port foreign-address foreign-port
 * tcpdrop local-address{.|:}local-port foreign-address{.|:}foreign-port
 * tcpdrop [-l] -a
 * tcpdrop [-l] -s state
 * tcpdrop [-l] -S stack [-s state]
 * tcpdrop [-l] -C cc-algo [-S stack] [-s state]
 * </pre>
 *
 * <p>Options are parsed as POSIX getopt does ({@code -la}, {@code -sTIME_WAIT}, {@code --}), up to
 * the first argument that is not an option. On Linux {@code -S} and {@code -C} both match the
 * congestion-control module (the per-connection TCP module Linux lets one choose); TIME_WAIT
 * sockets have none. Dropped connections are printed on {@code out} as
 * {@code LADDR LPORT FADDR FPORT: dropped}; each connection not dropped as
 * {@code tcpdrop: LADDR LPORT FADDR FPORT: reason} on {@code err}, as warn(3) prints tcpdrop's
 * errors; {@code -l} prints one {@code tcpdrop LADDR LPORT FADDR FPORT} line per selected connection
 * on {@code out}, ready to be piped into {@code sh}.
 *
 * <p>Exit status: {@value #EX_OK} when every selected connection was dropped (or none was
 * selected); {@value #EX_FAILED} when any was not (not found, refused, permission denied,
 * unsupported, failed), when a host name does not resolve, or when the kernel could not be asked;
 * {@value #EX_USAGE} ({@code EX_USAGE} of sysexits.h) for a usage error: an unknown option or
 * state, {@code LISTEN} or {@code CLOSED} as the state, {@code -l} with a connection, {@code -a},
 * {@code -s}, {@code -S} or {@code -C} together with a connection, a missing argument, a bad port
 * or a malformed address. FreeBSD's tcpdrop exits 1 for usage errors too; 64 lets a script tell a
 * mistyped command from a connection that could not be dropped.
 */
public final class TcpdropCommand {
    /** Every selected connection was dropped. */
    public static final int EX_OK = 0;
    /** A connection was not dropped, a name did not resolve, or the kernel could not be asked. */
    public static final int EX_FAILED = 1;
    /** Usage error ({@code EX_USAGE} in sysexits.h). */
    public static final int EX_USAGE = 64;

    private TcpdropCommand() {
    }

    /** The usage text, ending with a newline. */
    public static String usage() {
        return "usage: tcpdrop local-address local-port foreign-address foreign-port\n"
                + "       tcpdrop local-address{.|:}local-port foreign-address{.|:}foreign-port\n"
                + "       tcpdrop [-l] -a\n"
                + "       tcpdrop [-l] -s state\n"
                + "       tcpdrop [-l] -S stack [-s state]\n"
                + "       tcpdrop [-l] -C cc-algo [-S stack] [-s state]\n"
                + "  -a          drop every TCP connection (listening sockets are never dropped)\n"
                + "  -s state    drop the connections in state: SYN_SENT, SYN_RCVD, ESTABLISHED,\n"
                + "              CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK, FIN_WAIT_2, TIME_WAIT\n"
                + "  -S stack    drop the connections using this TCP stack; on Linux, the\n"
                + "              congestion-control module (cubic, bbr, reno, ... as ss -i shows);\n"
                + "              TIME_WAIT sockets have none, so -S with -s TIME_WAIT drops nothing\n"
                + "  -C cc-algo  drop the connections using this congestion-control algorithm\n"
                + "              (on Linux the same as -S)\n"
                + "  -l          print 'tcpdrop LADDR LPORT FADDR FPORT' for each selected connection\n"
                + "              instead of dropping it, e.g. tcpdrop -l -a | grep -vw 22 | sh\n"
                + "Addresses are numbers or host names, IPv4 or IPv6; ports are numbers or service names.\n"
                + "Exit status: 0 all dropped, 1 a connection was not dropped (or a name did not\n"
                + "resolve), 64 usage error (EX_USAGE).\n";
    }

    /**
     * Runs one tcpdrop command line.
     *
     * @param args the arguments after {@code tcpdrop}
     * @param dropper the engine to act through (its protection predicate applies to -a, -s, -S, -C)
     * @param out where dropped connections and {@code -l} lines go
     * @param err where errors and the usage go
     * @return the exit status: {@value #EX_OK}, {@value #EX_FAILED} or {@value #EX_USAGE}
     */
    public static int run(String[] args, TcpDropper dropper, PrintStream out, PrintStream err) {
        if (args == null || dropper == null || out == null || err == null) {
            throw new IllegalArgumentException("tcpdrop needs arguments (possibly none), a dropper and two streams");
        }
        TcpdropArguments o;
        try {
            o = TcpdropArguments.parse(args);
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        }
        if (o.help()) {
            out.print(usage());
            out.flush();
            return EX_OK;
        }
        DropReport report;
        try {
            report = o.bulk() ? bulk(o, dropper) : dropper.dropOne(ConnectionSpec.of(o.positional()));
        } catch (AddressResolutionException e) {
            err.print("tcpdrop: " + e.getMessage() + "\n");
            err.flush();
            return EX_FAILED;
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        } catch (RuntimeException e) {
            // The kernel could not be asked (netlink refused, /proc unreadable): an error, not a usage error.
            err.print("tcpdrop: " + e.getMessage() + "\n");
            err.flush();
            return EX_FAILED;
        }
        if (o.list()) {
            for (String c : report.commands()) {
                out.print(c + "\n");
            }
        } else {
            for (DropOutcome d : report.outcomes()) {
                if (d.status() == DropStatus.DROPPED) {
                    out.print(d.message() + "\n");
                } else {
                    err.print("tcpdrop: " + d.message() + "\n");
                }
            }
        }
        out.flush();
        err.flush();
        return report.succeeded() ? EX_OK : EX_FAILED;
    }

    private static DropReport bulk(TcpdropArguments o, TcpDropper dropper) {
        List<String> stacks = o.stacks();
        TcpState state = o.state().orElse(null);
        if (stacks.isEmpty()) {
            return state == null ? dropper.dropAll(o.list()) : dropper.dropState(state, o.list());
        }
        if (stacks.size() == 1) {
            return state == null ? dropper.dropStack(stacks.get(0), o.list())
                    : dropper.dropStackState(stacks.get(0), state, o.list());
        }
        // -S and -C naming two different modules: on Linux both are the one module of a socket, so
        // nothing can match; still validated and run, so a typo is reported as such.
        Filter f = new Filter.And(TcpDropper.stackFilter(stacks.get(0)), TcpDropper.stackFilter(stacks.get(1)));
        if (state != null) {
            f = new Filter.And(TcpDropper.stateFilter(state), f);
        }
        return dropper.dropMatching(f, o.list());
    }

    private static int usageError(PrintStream err, String message) {
        err.print("tcpdrop: " + message + "\n" + usage());
        err.flush();
        return EX_USAGE;
    }
}
