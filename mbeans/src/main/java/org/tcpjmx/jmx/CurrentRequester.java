package org.tcpjmx.jmx;

import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;
import java.util.function.Supplier;
import org.tcpjmx.model.Requester;

/**
 * The requester of the MBean call running on this thread. A surface that serves MBeans (the
 * agent's Jolokia endpoint, its CLI) wraps each call in {@link #callAs}; a call arriving over
 * JMX/RMI is recognised by the RMI runtime; anything else is {@link Requester#IN_PROCESS}.
 */
public final class CurrentRequester {
    private static final ThreadLocal<Requester> CURRENT = new ThreadLocal<>();

    private CurrentRequester() {
    }

    /** Runs {@code work} with {@code requester} as the current requester of this thread. */
    public static <T> T callAs(Requester requester, Supplier<T> work) {
        Requester previous = CURRENT.get();
        CURRENT.set(requester);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The requester of the call on this thread; never null. */
    public static Requester get() {
        Requester r = CURRENT.get();
        if (r != null) {
            return r;
        }
        try {
            // Inside an RMI dispatch thread (JConsole, VisualVM, any JMX remote client).
            return new Requester("jmx-rmi", "from " + RemoteServer.getClientHost());
        } catch (ServerNotActiveException e) {
            return Requester.IN_PROCESS;
        }
    }
}
