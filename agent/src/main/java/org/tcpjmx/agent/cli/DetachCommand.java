package org.tcpjmx.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.util.List;

/**
 * {@code detach PID|NAME}: unloads the agent (every MBean unregistered, Jolokia stopped, no agent
 * thread left). A JVM where the agent is not running is left untouched: nothing is loaded into it.
 */
final class DetachCommand implements Command {
    @Override
    public String name() {
        return "detach";
    }

    @Override
    public String usage() {
        return "detach PID|NAME                                 unload the agent (MBeans, Jolokia, threads)\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        if (args.size() != 1) {
            throw new UsageException(args.isEmpty() ? "missing PID or NAME" : "detach takes one PID or NAME, not " + args);
        }
        JvmTargets.Target target = JvmTargets.resolve(args.get(0));
        VirtualMachine vm = JvmTargets.attach(target.pid());
        try {
            JvmTargets.AgentState before = JvmTargets.agentState(vm);
            if (!before.running()) {
                console.out().println("JVM " + target.pid() + ": the agent is not running; nothing to detach");
                return ExitStatus.OK;
            }
            JvmTargets.loadAgent(vm, console.agentJar(), "detach");
            JvmTargets.AgentState after = JvmTargets.agentState(vm);
            if (after.running()) {
                throw new CommandFailure("JVM " + target.pid() + " still reports the agent running: " + after.detail());
            }
            console.out().println("JVM " + target.pid() + ": detached (" + after.detail() + ")");
            return ExitStatus.OK;
        } finally {
            JvmTargets.release(vm);
        }
    }
}
