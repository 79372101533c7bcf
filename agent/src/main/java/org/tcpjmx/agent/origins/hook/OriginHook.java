package org.tcpjmx.agent.origins.hook;

import java.util.function.BiConsumer;

/**
 * The one class of the agent that {@code java.base} sees: origin tracking appends it to the
 * bootstrap class path, and the rewritten connect and accept methods of the JDK call
 * {@link #opened(Object)} or {@link #accepted(Object, Object)} as they return (and
 * {@link #accepting(Object)} as an asynchronous accept starts). It holds one
 * reference, to the agent's recorder, and only while tracking is on; detaching sets it to null,
 * after which the hook does nothing and keeps nothing (the class itself stays: the bootstrap loader
 * never unloads). Inert by design: it never throws into the application's connect or accept.
 */
public final class OriginHook {
    /**
     * The agent's recorder while tracking is on; null otherwise. Set reflectively by the agent. It
     * gets the socket or channel and, for an accept, the server socket or channel that accepted it
     * (null for a connect); an asynchronous accept asked for gives a null socket and its server.
     */
    public static volatile BiConsumer<Object, Object> sink;

    private OriginHook() {
    }

    /** Called by the rewritten JDK connect methods with the socket or channel just connected (or whose connect is under way). */
    public static void opened(Object socket) {
        call(socket, null);
    }

    /** Called by the rewritten JDK accept methods with the socket or channel just accepted and the server that accepted it. */
    public static void accepted(Object socket, Object server) {
        call(socket, server);
    }

    /**
     * Called by the rewritten start of an asynchronous accept with the server asked to accept: the
     * application's frames are on the stack now, not when a JDK handler thread completes the accept.
     */
    public static void accepting(Object server) {
        call(null, server);
    }

    private static void call(Object socket, Object server) {
        BiConsumer<Object, Object> s = sink;
        if (s == null || (socket == null && server == null)) {
            return;
        }
        try {
            s.accept(socket, server);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            // The application's socket is fine; a failed record only costs its origin.
        }
    }
}
