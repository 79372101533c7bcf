package org.tcpjmx.agent.cli;

import java.io.PrintStream;

/**
 * Where a command writes, and the agent jar it may load into other JVMs.
 *
 * @param out results (URLs, tables, JSON, tcpdrop lines)
 * @param err messages and errors
 * @param agentJar absolute path of {@code tcpjmx-agent.jar}
 */
record Console(PrintStream out, PrintStream err, String agentJar) {
}
