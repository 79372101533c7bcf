package org.tcpjmx.drop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpjmx.model.TcpState;

/**
 * A parsed tcpdrop(8) command line: {@code -a}, {@code -l}, {@code -s STATE}, {@code -S STACK},
 * {@code -C ALGO} and the connection arguments. One parser for the local {@link TcpdropCommand} and
 * the command line's remote {@code tcpdrop --url}, so both accept and refuse the same things.
 */
public final class TcpdropArguments {
    private boolean all;
    private boolean list;
    private boolean help;
    private TcpState state;
    private String stack;
    private String congestion;
    private final List<String> positional = new ArrayList<>();

    private TcpdropArguments() {
    }

    /**
     * Parses a tcpdrop command line with getopt's rules ({@code -la}, {@code -sTIME_WAIT}, {@code --}).
     *
     * @throws IllegalArgumentException for a usage error, naming it: unknown option, a state -s does
     *     not take (LISTEN, CLOSED, unknown), -l or -a with a connection, a wrong number of arguments
     */
    public static TcpdropArguments parse(String... args) {
        TcpdropArguments o = new TcpdropArguments();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a == null) {
                throw new IllegalArgumentException("argument " + (i + 1) + " is null");
            }
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
                switch (f) {
                    case 'a':
                        o.all = true;
                        break;
                    case 'l':
                        o.list = true;
                        break;
                    case 's':
                    case 'S':
                    case 'C': {
                        String value;
                        if (k + 1 < a.length()) {
                            value = a.substring(k + 1);
                        } else if (i < args.length && args[i] != null) {
                            value = args[i++];
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
                        break;
                    }
                    default:
                        throw new IllegalArgumentException("unknown option -" + f);
                }
            }
        }
        for (; i < args.length; i++) {
            if (args[i] == null) {
                throw new IllegalArgumentException("argument " + (i + 1) + " is null");
            }
            o.positional.add(args[i]);
        }
        if (o.bulk()) {
            if (!o.positional.isEmpty()) {
                throw new IllegalArgumentException("-a, -s, -S and -C select connections themselves and take no "
                        + "connection arguments, got " + o.positional);
            }
        } else if (o.list) {
            throw new IllegalArgumentException("-l lists what -a, -s, -S or -C select; it does not take a connection");
        } else if (o.positional.size() != 4 && o.positional.size() != 2) {
            throw new IllegalArgumentException(o.positional.isEmpty() ? "missing arguments"
                    : "expected 4 arguments (LADDR LPORT FADDR FPORT) or 2 (LADDR:LPORT FADDR:FPORT), got "
                    + o.positional.size() + ": " + o.positional);
        }
        return o;
    }

    private static TcpState droppableState(String value) {
        String valid = "; the state is one of SYN_SENT, SYN_RCVD, ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, "
                + "CLOSING, LAST_ACK, FIN_WAIT_2, TIME_WAIT";
        TcpState s;
        try {
            s = TcpState.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-s '" + value + "': unknown state" + valid, e);
        }
        if (!TcpDropper.DROPPABLE_STATES.contains(s)) {
            throw new IllegalArgumentException("-s " + value + ": " + (s == TcpState.LISTEN
                    ? "listening sockets are never dropped" : "a CLOSED socket has no connection to drop") + valid);
        }
        return s;
    }

    /** {@code -a}. */
    public boolean all() {
        return all;
    }

    /** {@code -l}: list the tcpdrop invocations instead of dropping. */
    public boolean list() {
        return list;
    }

    /** {@code -h} or {@code --help}. */
    public boolean help() {
        return help;
    }

    /** Whether the connections are selected by {@code -a}, {@code -s}, {@code -S} or {@code -C}, not named. */
    public boolean bulk() {
        return all || state != null || stack != null || congestion != null;
    }

    /** {@code -s STATE}. */
    public Optional<TcpState> state() {
        return Optional.ofNullable(state);
    }

    /** The distinct modules {@code -S} and {@code -C} name (on Linux both match the congestion control), case-insensitively. */
    public List<String> stacks() {
        List<String> stacks = new ArrayList<>(2);
        for (String s : new String[] {stack, congestion}) {
            if (s != null && stacks.stream().noneMatch(s::equalsIgnoreCase)) {
                stacks.add(s);
            }
        }
        return List.copyOf(stacks);
    }

    /** The connection arguments: four ({@code LADDR LPORT FADDR FPORT}), two, or none for a bulk drop. */
    public List<String> positional() {
        return List.copyOf(positional);
    }

    /**
     * Refuses a blank connection argument, naming it. Needed where the arguments travel joined by
     * spaces (the remote {@code dropSpec}): an empty one would vanish and shift the others.
     */
    public void requireNonBlankConnection() {
        List<String> names = positional.size() == 4
                ? List.of("local address", "local port", "foreign address", "foreign port")
                : List.of("local address and port", "foreign address and port");
        for (int k = 0; k < Math.min(names.size(), positional.size()); k++) {
            if (positional.get(k).isBlank()) {
                throw new IllegalArgumentException("missing " + names.get(k));
            }
        }
    }
}
