package org.tcpjmx.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.util.List;
import org.tcpjmx.model.ProcessPlace;

/**
 * {@code detach PID|NAME}: unloads the agent (every MBean unregistered, Jolokia stopped, no agent
 * thread left). A JVM where the agent is not running is left untouched: nothing is loaded into it.
 * The agent jar an attach copied into a JVM's own filesystem is removed.
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
        ProcessPlace place = JvmTargets.place(target.pid());
        VirtualMachine vm = JvmTargets.attach(target.pid());
        try {
            JvmTargets.AgentState before = JvmTargets.agentState(vm);
            if (!before.running()) {
                console.out().println("JVM " + target.pid() + ": the agent is not running; nothing to detach");
                return ExitStatus.OK;
            }
            // The detach is a load of the agent jar too: the copy an attach made (remade if it went missing).
            AgentJarCopy jar = AgentJarCopy.forTarget(place, console.agentJar(), JvmTargets.tmpDir(vm));
            JvmTargets.AgentState after;
            try {
                JvmTargets.loadAgent(vm, jar.pathInside(), "detach");
                after = JvmTargets.agentState(vm);
            } finally {
                jar.remove();
            }
            if (after.running()) {
                throw new CommandFailure("JVM " + target.pid() + " still reports the agent running: " + after.detail());
            }
            console.out().println("JVM " + target.pid() + ": agent detached"
                    + (jar.copied() ? "; removed " + jar.pathInside() + " inside it" : ""));
            return ExitStatus.OK;
        } finally {
            JvmTargets.release(vm);
        }
    }
}
