package org.tcpjmx.agent;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * The implementation's entry for the bootstrap ({@code org.tcpjmx.agent.boot.AgentBoot}), which calls
 * it reflectively from the agent's isolated class loader with JDK types only.
 */
public final class AgentEntry {
    private AgentEntry() {
    }

    /**
     * Starts the agent in this JVM.
     *
     * @param options {@code key=value,...}, see {@link AgentOptions}
     * @return the running agent; closing it unregisters every MBean and stops Jolokia and every agent thread
     * @throws IllegalArgumentException for a bad option, naming it and what is valid
     * @throws IllegalStateException when the port is busy or the MBeans are already registered
     */
    public static AutoCloseable start(String options) {
        return RunningAgent.start(AgentOptions.parse(options), ManagementFactory.getPlatformMBeanServer(), Optional.empty());
    }

    /**
     * Starts the agent in this JVM with the JVM's instrumentation (needed for origin tracking).
     *
     * @see #start(String)
     */
    public static AutoCloseable start(String options, Instrumentation instrumentation) {
        return RunningAgent.start(AgentOptions.parse(options), ManagementFactory.getPlatformMBeanServer(),
                Optional.ofNullable(instrumentation));
    }
}
