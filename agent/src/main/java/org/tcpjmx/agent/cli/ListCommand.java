package org.tcpjmx.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.util.List;

/**
 * {@code list}: the JVMs of this host, whether the agent runs in each and its URL. Attaches to each
 * JVM to read its system properties (as {@code jcmd} does); loads nothing.
 */
final class ListCommand implements Command {
    @Override
    public String name() {
        return "list";
    }

    @Override
    public String usage() {
        return "list                                            JVMs of this host: pid, agent, URL, name\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        if (!args.isEmpty()) {
            throw new UsageException("list takes no arguments, not " + args);
        }
        console.out().printf("%-8s %-8s %-40s %s%n", "PID", "AGENT", "URL", "NAME");
        for (JvmTargets.Target t : JvmTargets.list()) {
            String agent;
            String url;
            try {
                VirtualMachine vm = JvmTargets.attach(t.pid());
                try {
                    JvmTargets.AgentState s = JvmTargets.agentState(vm);
                    agent = s.word();
                    url = s.url().isEmpty() ? "-" : s.url();
                } finally {
                    JvmTargets.release(vm);
                }
            } catch (CommandFailure e) {
                // A JVM that exited meanwhile or belongs to someone else: listed, marked unknown.
                agent = "?";
                url = "-";
            }
            console.out().printf("%-8s %-8s %-40s %s%n", t.pid(), agent, url, t.name().isEmpty() ? "-" : t.name());
        }
        return ExitStatus.OK;
    }
}
