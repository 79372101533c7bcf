package org.tcpjmx.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.util.List;

/**
 * {@code status PID|NAME}: whether the agent runs in that JVM, and its URL. Reads the JVM's system
 * properties only; loads nothing. Exit 0 when it runs, 1 when it does not.
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
        VirtualMachine vm = JvmTargets.attach(target.pid());
        JvmTargets.AgentState state;
        try {
            state = JvmTargets.agentState(vm);
        } finally {
            JvmTargets.release(vm);
        }
        if (state.running()) {
            console.out().println("JVM " + target.pid() + ": running" + (state.url().isEmpty() ? " without Jolokia" : " at " + state.url()));
            return ExitStatus.OK;
        }
        console.out().println("JVM " + target.pid() + ": " + (state.status().isEmpty() ? "agent not loaded" : state.status()));
        return ExitStatus.FAILED;
    }
}
