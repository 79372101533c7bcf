package org.tcpjmx.agent;

import com.sun.jna.Memory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threads the agent's libraries start on their own and never stop: JNA's "JNA Cleaner" lingers while
 * any native memory block of the agent's JNA copy is alive, which after a detach holds the agent's
 * class loader (and so every class it loaded) in the application's JVM.
 */
final class AgentThreads {
    private static final Logger LOG = LoggerFactory.getLogger(AgentThreads.class);
    private static final long JOIN_MILLIS = 2000;
    /** Name of the class loader the bootstrap creates (org.tcpjmx.agent.boot.IsolatedRuntime). */
    static final String ISOLATED_LOADER = "tcpjmx-agent";

    private AgentThreads() {
    }

    /**
     * Frees the native memory of the agent's JNA copy and stops every thread whose class the agent's
     * loader defined. Call last on detach: nothing of the agent may use JNA afterwards.
     */
    static void stopLeftovers() {
        ClassLoader ours = AgentThreads.class.getClassLoader();
        if (ours == null || !ISOLATED_LOADER.equals(ours.getName())) {
            // Not the agent's own loader (tests, embedding): JNA and its thread are shared with others here.
            return;
        }
        try {
            // Frees every native block now: once the cleaner is stopped, nothing else would.
            Memory.disposeAll();
        } catch (RuntimeException | LinkageError e) {
            // JNA never loaded (procfs backend after native access was refused): nothing to free.
            LOG.debug("JNA had nothing to release: {}", e.toString());
        }
        Thread self = Thread.currentThread();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != self && t.getClass().getClassLoader() == ours) {
                // JNA's cleaner ends when interrupted; its work is done once every block is disposed.
                t.interrupt();
                try {
                    t.join(JOIN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (t.isAlive()) {
                    LOG.warn("agent thread '{}' did not stop on detach", t.getName());
                }
            }
        }
    }
}
