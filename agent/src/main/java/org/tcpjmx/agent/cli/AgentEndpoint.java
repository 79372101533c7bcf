package org.tcpjmx.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.tcpjmx.model.ProcessPlace;

/**
 * The agent of a JVM named by its pid ({@code --pid}): its URL, read from the JVM's
 * {@code tcpjmx.agent.url} system property through the attach API, and the network namespace the
 * connection has to be made in when the JVM lives in one of its own.
 *
 * @param url the agent's Jolokia URL, a wildcard host turned into loopback
 * @param networkOf the pid whose network namespace to connect from; empty for ours
 */
record AgentEndpoint(URI url, Optional<Long> networkOf) {
    /**
     * Finds the agent of JVM {@code pid}.
     *
     * @throws UsageException when {@code pid} is not a pid
     * @throws CommandFailure when the JVM cannot be attached or its agent serves no URL
     */
    static AgentEndpoint of(String pid) {
        if (pid.isEmpty() || !pid.chars().allMatch(Character::isDigit)) {
            throw new UsageException("--pid " + pid + " is not a process id (see the list command)");
        }
        ProcessPlace place = JvmTargets.place(pid);
        VirtualMachine vm = JvmTargets.attach(pid);
        JvmTargets.AgentState state;
        try {
            state = JvmTargets.agentState(vm);
        } finally {
            JvmTargets.release(vm);
        }
        if (!state.running()) {
            throw new CommandFailure("the agent is not running in JVM " + pid + " ("
                    + (state.status().isEmpty() ? "not loaded" : state.status()) + "): attach it first");
        }
        if (state.url().isEmpty()) {
            throw new CommandFailure("the agent of JVM " + pid + " runs without Jolokia (jolokia=false): there is no URL to reach");
        }
        return new AgentEndpoint(loopbackForWildcard(RemoteOptions.parseUrl(state.url())),
                place.ownNetwork() ? Optional.of(place.pid()) : Optional.empty());
    }

    /** An agent bound to every address ({@code host=0.0.0.0}, with auth) answers on loopback too. */
    static URI loopbackForWildcard(URI url) {
        String host = url.getHost();
        String loopback = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("[::]") || host.equals("::") ? "[::1]" : "";
        if (loopback.isEmpty()) {
            return url;
        }
        try {
            return new URI(url.getScheme(), null, loopback.replace("[", "").replace("]", ""), url.getPort(), url.getPath(), null, null);
        } catch (URISyntaxException e) {
            return url;
        }
    }
}
