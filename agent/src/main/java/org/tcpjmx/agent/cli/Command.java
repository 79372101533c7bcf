package org.tcpjmx.agent.cli;

import java.util.List;

/** One verb of the command line; {@link CommandLine} dispatches to it. */
interface Command {
    /** The verb, as typed. */
    String name();

    /** Its usage lines (without the {@code java -jar tcpjmx-agent.jar} prefix), ending with a newline. */
    String usage();

    /**
     * Runs the verb.
     *
     * @param args the arguments after the verb
     * @return the exit status: {@link ExitStatus#OK}, {@link ExitStatus#FAILED} or {@link ExitStatus#USAGE}
     * @throws UsageException for a usage error (exit 64 with the usage)
     * @throws CommandFailure for a failure with a message (exit 1)
     */
    int run(List<String> args, Console console);
}
