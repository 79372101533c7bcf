package org.tcpjmx.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.util.List;
import org.tcpjmx.model.ProcessPlace;

/**
 * {@code status PID|NAME}: whether the agent runs in that JVM, and its URL. Reads the JVM's system
 * properties only; loads nothing. Exit 0 when it runs, 1 when it does not. For a JVM in a network
 * namespace of its own (a container), a second line says where the URL answers.
 */
final class StatusCommand implements Command {
    @Override
    public String name() {
        return "status";
    }

    @Override
    public String usage() {
        return "status PID|NAME                                 is the agent running there, and where (exit 0 if so)\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        if (args.size() != 1) {
            throw new UsageException(args.isEmpty() ? "missing PID or NAME" : "status takes one PID or NAME, not " + args);
        }
        JvmTargets.Target target = JvmTargets.resolve(args.get(0));
        ProcessPlace place = JvmTargets.place(target.pid());
        VirtualMachine vm = JvmTargets.attach(target.pid());
        JvmTargets.AgentState state;
        try {
            state = JvmTargets.agentState(vm);
        } finally {
            JvmTargets.release(vm);
        }
        if (state.running()) {
            console.out().println("JVM " + target.pid() + ": running" + (state.url().isEmpty() ? " without Jolokia" : " at " + state.url()));
            String note = UrlReach.note(place, state.url());
            if (!note.isEmpty()) {
                console.out().println("  " + note);
            }
            return ExitStatus.OK;
        }
        console.out().println("JVM " + target.pid() + ": " + (state.status().isEmpty() ? "agent not loaded" : state.status()));
        return ExitStatus.FAILED;
    }
}
