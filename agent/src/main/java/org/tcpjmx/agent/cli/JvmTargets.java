package org.tcpjmx.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.tcpjmx.agent.AgentProperties;
import org.tcpjmx.model.ProcessPlace;
import org.tcpjmx.platform.ProcessPlaces;

/** The JVMs of this host, through the attach API ({@code jdk.attach}). */
final class JvmTargets {
    private JvmTargets() {
    }

    /** A JVM to act on: its pid and the name {@code jps} would show. */
    record Target(String pid, String name) {
    }

    /** What the agent says about itself in a JVM, read from its system properties. */
    record AgentState(String status, String url) {
        boolean running() {
            return status.startsWith(AgentProperties.RUNNING + ":");
        }

        /** The text after {@code running:}, {@code failed:}, ... */
        String detail() {
            int colon = status.indexOf(':');
            return colon < 0 ? status : status.substring(colon + 1).trim();
        }

        /** One word for tables: running, failed, stopped or no. */
        String word() {
            int colon = status.indexOf(':');
            return status.isEmpty() ? "no" : colon < 0 ? status : status.substring(0, colon);
        }
    }

    /** Every attachable JVM of this host but this command line itself. */
    static List<Target> list() {
        String self = Long.toString(ProcessHandle.current().pid());
        List<Target> out = new ArrayList<>();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (!d.id().equals(self)) {
                out.add(new Target(d.id(), d.displayName()));
            }
        }
        return out;
    }

    /**
     * A pid, or a name matched against the JVMs' main class or jar (as {@code jps -l} shows them).
     *
     * @throws UsageException for an empty argument
     * @throws CommandFailure when no JVM or more than one matches the name
     */
    static Target resolve(String pidOrName) {
        if (pidOrName == null || pidOrName.isBlank()) {
            throw new UsageException("missing PID or NAME");
        }
        if (pidOrName.chars().allMatch(Character::isDigit)) {
            String name = "";
            for (Target t : list()) {
                if (t.pid().equals(pidOrName)) {
                    name = t.name();
                }
            }
            return new Target(pidOrName, name);
        }
        List<Target> matches = new ArrayList<>();
        for (Target t : list()) {
            if (t.name().contains(pidOrName)) {
                matches.add(t);
            }
        }
        if (matches.isEmpty()) {
            throw new CommandFailure("no JVM of this host (visible to this user) matches '" + pidOrName + "'; see the list command");
        }
        if (matches.size() > 1) {
            StringBuilder sb = new StringBuilder("'" + pidOrName + "' matches " + matches.size() + " JVMs; give a PID:");
            for (Target t : matches) {
                sb.append("\n  ").append(t.pid()).append(' ').append(t.name());
            }
            throw new CommandFailure(sb.toString());
        }
        return matches.get(0);
    }

    /** Attaches to {@code pid}; the caller detaches. */
    static VirtualMachine attach(String pid) {
        try {
            return VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException e) {
            throw new CommandFailure("cannot attach to JVM " + pid + ": " + e.getMessage()
                    + " (is it a JVM of this user, started without -XX:+DisableAttachMechanism?)", e);
        } catch (IOException e) {
            throw new CommandFailure("cannot attach to JVM " + pid + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where JVM {@code pid} lives: its pid inside, its user, its network namespace, its root.
     *
     * @throws CommandFailure when there is no such process
     */
    static ProcessPlace place(String pid) {
        try {
            return ProcessPlaces.open().place(Long.parseLong(pid));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandFailure("cannot attach to JVM " + pid + ": " + e.getMessage(), e);
        }
    }

    /** The attached JVM's temporary directory ({@code java.io.tmpdir}) as it sees it. */
    static String tmpDir(VirtualMachine vm) {
        try {
            return vm.getSystemProperties().getProperty("java.io.tmpdir", "/tmp");
        } catch (IOException e) {
            throw new CommandFailure("cannot read the system properties of JVM " + vm.id() + ": " + e.getMessage(), e);
        }
    }

    /** The agent's published state in the attached JVM. */
    static AgentState agentState(VirtualMachine vm) {
        try {
            Properties p = vm.getSystemProperties();
            return new AgentState(p.getProperty(AgentProperties.STATUS, ""), p.getProperty(AgentProperties.URL, ""));
        } catch (IOException e) {
            throw new CommandFailure("cannot read the system properties of JVM " + vm.id() + ": " + e.getMessage(), e);
        }
    }

    /** Loads the agent jar into the attached JVM with the given options (or {@code detach}). */
    static void loadAgent(VirtualMachine vm, String agentJar, String options) {
        try {
            vm.loadAgent(agentJar, options);
        } catch (AgentLoadException e) {
            // The JDK's message says why (e.g. dynamic loading disabled by -XX:-EnableDynamicAgentLoading).
            throw new CommandFailure("JVM " + vm.id() + " refused to load the agent: " + e.getMessage()
                    + "; -javaagent:" + agentJar + " at start-up always works", e);
        } catch (AgentInitializationException e) {
            throw new CommandFailure("the agent failed inside JVM " + vm.id() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandFailure("loading the agent into JVM " + vm.id() + " failed: " + e.getMessage(), e);
        }
    }

    /** Detaches, ignoring a JVM that went away meanwhile. */
    static void release(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }
}
