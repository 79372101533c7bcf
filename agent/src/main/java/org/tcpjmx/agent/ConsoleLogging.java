package org.tcpjmx.agent;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether the host JVM's java.util.logging (where the agent's SLF4J goes) already prints a logger's
 * INFO records on the console, read from its configuration as it is now; nothing is changed.
 */
final class ConsoleLogging {
    private ConsoleLogging() {
    }

    /** True when an INFO record of {@code name} reaches a {@link ConsoleHandler} that prints INFO. */
    static boolean printsInfo(String name) {
        Logger logger = Logger.getLogger(name);
        if (!logger.isLoggable(Level.INFO)) {
            return false;
        }
        for (Logger l = logger; l != null; l = l.getParent()) {
            for (Handler h : l.getHandlers()) {
                if (h instanceof ConsoleHandler && h.getLevel().intValue() <= Level.INFO.intValue()) {
                    return true;
                }
            }
            if (!l.getUseParentHandlers()) {
                break;
            }
        }
        return false;
    }
}
