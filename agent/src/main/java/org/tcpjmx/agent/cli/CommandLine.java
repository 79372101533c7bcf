package org.tcpjmx.agent.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar tcpjmx-agent.jar COMMAND ...}: one small class per verb behind this dispatcher.
 * The bootstrap ({@code org.tcpjmx.agent.boot.AgentBoot.main}) calls {@link #run} reflectively.
 *
 * <p>Exit status: 0 done; 1 failed (a JVM that cannot be attached, an agent that did not start, a
 * connection not dropped, a remote agent that answered an error); 64 usage error.
 */
public final class CommandLine {
    /**
     * The library logs each registration and drop at INFO for a host JVM's log; on a terminal the
     * command's own output says the same, so only warnings are shown. Held here: JUL keeps loggers weakly.
     */
    private static final Logger QUIET = Logger.getLogger("org.tcpjmx");

    private final Map<String, Command> commands = new LinkedHashMap<>();

    CommandLine() {
        for (Command c : List.of(new ListCommand(), new AttachCommand(), new DetachCommand(), new StatusCommand(),
                new TcpdropVerb(), new RebalanceCommand(), new TableCommand(), new StatesCommand(), new VersionCommand())) {
            commands.put(c.name(), c);
        }
    }

    /**
     * Runs one command line.
     *
     * @param args the command and its arguments
     * @param agentJar absolute path of the agent jar (loaded into other JVMs by {@code attach})
     * @return the exit status
     */
    public static int run(String[] args, String agentJar, PrintStream out, PrintStream err) {
        QUIET.setLevel(Level.WARNING);
        return new CommandLine().dispatch(Arrays.asList(args), new Console(out, err, agentJar));
    }

    int dispatch(List<String> args, Console console) {
        if (args.isEmpty()) {
            console.err().print("tcpjmx: no command given\n" + usage());
            return ExitStatus.USAGE;
        }
        String verb = args.get(0);
        if (verb.equals("help") || verb.equals("-h") || verb.equals("--help")) {
            console.out().print(usage());
            return ExitStatus.OK;
        }
        Command command = commands.get(verb);
        if (command == null) {
            console.err().print("tcpjmx: unknown command '" + verb + "'; commands are " + commands.keySet() + "\n" + usage());
            return ExitStatus.USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            if (rest.size() == 1 && (rest.get(0).equals("-h") || rest.get(0).equals("--help"))) {
                console.out().print("usage: " + command.usage());
                return ExitStatus.OK;
            }
            return command.run(rest, console);
        } catch (UsageException e) {
            console.err().print("tcpjmx " + verb + ": " + e.getMessage() + "\nusage: " + command.usage());
            return ExitStatus.USAGE;
        } catch (CommandFailure e) {
            console.err().print("tcpjmx " + verb + ": " + e.getMessage() + "\n");
            return ExitStatus.FAILED;
        } finally {
            console.out().flush();
            console.err().flush();
        }
    }

    /** Column where every verb's description starts in the usage text. */
    static final int DESCRIPTION_COLUMN = 50;

    /**
     * A verb's first usage line with its description (after a run of 3 or more spaces) at
     * {@link #DESCRIPTION_COLUMN}, or on the next line there when the syntax is longer.
     */
    static String aligned(String first) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.*?\\S)\\s{3,}(\\S.*)$").matcher(first);
        if (!m.matches()) {
            return "  " + first + "\n";
        }
        String syntax = "  " + m.group(1);
        String pad = " ".repeat(DESCRIPTION_COLUMN);
        return syntax.length() < DESCRIPTION_COLUMN - 1
                ? syntax + pad.substring(syntax.length()) + m.group(2) + "\n"
                : syntax + "\n" + pad + m.group(2) + "\n";
    }

    /** The full usage text. */
    String usage() {
        StringBuilder sb = new StringBuilder("usage: java -jar tcpjmx-agent.jar COMMAND [ARGS]\n");
        for (Command c : commands.values()) {
            String[] lines = c.usage().split("\n");
            sb.append(aligned(lines[0]));
            for (int i = 1; i < lines.length; i++) {
                sb.append("  ").append(lines[i]).append('\n');
            }
        }
        sb.append("Remote commands (tcpdrop, rebalance, table, states, ...) take --url URL, or --pid PID: the agent of that JVM,\n")
                .append("wherever it lives (in a container's network namespace: entered as root). With --user USER the\n")
                .append("password comes from the TCPJMX_PASSWORD environment variable (or --password, visible to ps).\n")
                .append("Exit status: 0 done, 1 failed, 64 usage error.\n");
        return sb.toString();
    }
}
