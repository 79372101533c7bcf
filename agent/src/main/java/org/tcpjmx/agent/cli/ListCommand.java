package org.tcpjmx.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.util.List;
import org.tcpjmx.model.ProcessPlace;

/**
 * {@code list}: the JVMs of this host, whether the agent runs in each and its URL. Attaches to each
 * JVM to read its system properties (as {@code jcmd} does); loads nothing. A JVM in a container shows
 * its pid inside (INSIDE) and whether it has a network namespace of its own (NET {@code own}: its URL
 * answers in there, reach it with {@code --pid}).
 */
final class ListCommand implements Command {
    @Override
    public String name() {
        return "list";
    }

    @Override
    public String usage() {
        return "list                                            JVMs of this host: pid (and inside its container), network\n"
                + "                                                namespace (same as ours or own), agent, URL, name\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        if (!args.isEmpty()) {
            throw new UsageException("list takes no arguments, not " + args);
        }
        console.out().printf("%-8s %-8s %-5s %-8s %-40s %s%n", "PID", "INSIDE", "NET", "AGENT", "URL", "NAME");
        boolean ownNetworks = false;
        for (JvmTargets.Target t : JvmTargets.list()) {
            String inside = "-";
            String net = "?";
            try {
                ProcessPlace place = JvmTargets.place(t.pid());
                inside = place.ownPids() ? Long.toString(place.innerPid()) : "-";
                net = UrlReach.word(place);
                ownNetworks |= place.ownNetwork();
            } catch (CommandFailure e) {
                // Gone meanwhile: the attach below says so too.
            }
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
            console.out().printf("%-8s %-8s %-5s %-8s %-40s %s%n", t.pid(), inside, net, agent, url, t.name().isEmpty() ? "-" : t.name());
        }
        if (ownNetworks) {
            console.err().println("tcpjmx list: NET own: the JVM has a network namespace of its own (a container); its URL answers"
                    + " in there only: from here use states, table, tcpdrop with --pid PID (as root)");
        }
        return ExitStatus.OK;
    }
}
