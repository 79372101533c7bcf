package org.tcpjmx.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.tcpjmx.agent.AgentOptions;
import org.tcpjmx.model.ProcessPlace;

/**
 * {@code attach PID|NAME [OPTIONS]}: loads the agent into a running JVM and prints its Jolokia URL on
 * stdout (one line, for scripts); messages go to stderr. Options are checked here first, so a typo is
 * a usage error before anything touches the target.
 *
 * <p>A JVM in a container is named by its pid as this host sees it. When it does not see our jar (its
 * own filesystem), a copy goes into its temporary directory ({@link AgentJarCopy}); detach removes it.
 * When it has a network namespace of its own, stderr says where its URL answers.
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
        ProcessPlace place = JvmTargets.place(target.pid());
        VirtualMachine vm = JvmTargets.attach(target.pid());
        try {
            AgentJarCopy jar = AgentJarCopy.forTarget(place, console.agentJar(), JvmTargets.tmpDir(vm));
            JvmTargets.AgentState state;
            try {
                JvmTargets.loadAgent(vm, jar.pathInside(), options);
                state = JvmTargets.agentState(vm);
                if (!state.running()) {
                    throw new CommandFailure("the agent did not start in JVM " + target.pid() + ": "
                            + (state.status().isEmpty() ? "it published no status" : state.detail()));
                }
            } catch (CommandFailure e) {
                jar.remove();
                throw e;
            }
            if (jar.copied()) {
                console.err().println("tcpjmx: " + UrlReach.jvm(place) + " does not see " + console.agentJar()
                        + ": loaded a copy at " + jar.pathInside() + " inside it (detach removes it)");
            }
            if (state.detail().startsWith("already running")) {
                console.err().println("tcpjmx: JVM " + target.pid() + ": " + state.detail());
            }
            String note = UrlReach.note(place, state.url());
            if (!note.isEmpty()) {
                console.err().println("tcpjmx: " + note);
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
