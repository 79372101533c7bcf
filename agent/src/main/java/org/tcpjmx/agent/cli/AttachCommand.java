package org.tcpjmx.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.tcpjmx.agent.AgentOptions;

/**
 * {@code attach PID|NAME [OPTIONS]}: loads the agent into a running JVM and prints its Jolokia URL on
 * stdout (one line, for scripts); messages go to stderr. Options are checked here first, so a typo is
 * a usage error before anything touches the target.
 */
final class AttachCommand implements Command {
    @Override
    public String name() {
        return "attach";
    }

    @Override
    public String usage() {
        return "attach PID|NAME [key=value[,key=value]...]   load the agent, print its URL\n"
                + "    keys: host (127.0.0.1), port (8778; 0 any free), jolokia (true), user, password,\n"
                + "          readOnly (false), policy=FILE (Jolokia access policy), auth=none\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        if (args.isEmpty()) {
            throw new UsageException("missing PID or NAME");
        }
        String options = options(args.subList(1, args.size()));
        try {
            AgentOptions.parse(options);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        JvmTargets.Target target = JvmTargets.resolve(args.get(0));
        VirtualMachine vm = JvmTargets.attach(target.pid());
        try {
            JvmTargets.loadAgent(vm, console.agentJar(), options);
            JvmTargets.AgentState state = JvmTargets.agentState(vm);
            if (!state.running()) {
                throw new CommandFailure("the agent did not start in JVM " + target.pid() + ": "
                        + (state.status().isEmpty() ? "it published no status" : state.detail()));
            }
            if (state.detail().startsWith("already running")) {
                console.err().println("tcpjmx: JVM " + target.pid() + ": " + state.detail());
            }
            console.out().println(state.url().isEmpty() ? "running without Jolokia (jolokia=false)" : state.url());
            return ExitStatus.OK;
        } finally {
            JvmTargets.release(vm);
        }
    }

    /** Options may come as one {@code a=1,b=2} argument or several; a relative policy path is made absolute here. */
    static String options(List<String> parts) {
        List<String> pairs = new ArrayList<>();
        for (String part : parts) {
            for (String pair : part.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                if (pair.startsWith("policy=") && pair.length() > "policy=".length()) {
                    // The target JVM has a working directory of its own.
                    pair = "policy=" + Paths.get(pair.substring("policy=".length())).toAbsolutePath();
                }
                pairs.add(pair);
            }
        }
        return String.join(",", pairs);
    }
}
