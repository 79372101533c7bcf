package org.tcpjmx.agent;

import com.sun.jna.Native;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent's libraries leave behind on their own, which after a detach would hold the agent's
 * class loader (and every class it loaded) in the application's JVM: JNA's "JNA Cleaner" thread,
 * which lingers while any native block of the agent's JNA copy is alive, and JNA's JNI global
 * references for directly mapped native methods.
 */
final class AgentThreads {
    private static final Logger LOG = LoggerFactory.getLogger(AgentThreads.class);
    private static final long JOIN_MILLIS = 2000;
    private static final String JNA_LOADED = "jna.loaded";
    /** Name of the class loader the bootstrap creates (org.tcpjmx.agent.boot.IsolatedRuntime). */
    static final String ISOLATED_LOADER = "tcpjmx-agent";

    private AgentThreads() {
    }

    /**
     * JNA's own unloading ({@code Native.dispose()}, private, what JNA runs when its loader is
     * collected): frees native memory and libraries and drops the JNI global references that direct
     * mapping ({@code Native.register}) holds on the mapped classes' methods, which would otherwise
     * keep the agent's loader reachable forever. It also sets the JVM-wide marker property
     * {@code jna.loaded} to false; the application's JNA may own that marker, so it is put back.
     */
    private static void disposeJna() {
        String marker = System.getProperty(JNA_LOADED);
        try {
            Method dispose = Native.class.getDeclaredMethod("dispose");
            dispose.setAccessible(true);
            dispose.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // JNA never loaded (procfs backend after native access was refused), or a JNA without dispose().
            LOG.debug("JNA not disposed: {}", e.toString());
        } finally {
            if (marker == null) {
                System.clearProperty(JNA_LOADED);
            } else {
                System.setProperty(JNA_LOADED, marker);
            }
        }
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
        disposeJna();
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
