package org.tcpjmx.agent.http;

import org.jolokia.server.core.service.api.LogHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Jolokia's log lines through the agent's SLF4J (and so the host JVM's java.util.logging), not stdout. */
final class Slf4jLogHandler implements LogHandler {
    private static final Logger LOG = LoggerFactory.getLogger("org.tcpjmx.agent.jolokia");

    @Override
    public void debug(String message) {
        LOG.debug(message);
    }

    @Override
    public void info(String message) {
        // Jolokia's start-up chatter (restrictor chosen, services found) is detail, not news for the host's log.
        LOG.debug(message);
    }

    /**
     * Jolokia warns, in five calls, when its service interface is also on the system class path: the
     * application has a Jolokia of its own. The agent's isolated loader makes exactly that work, so
     * the notice is detail, not a warning for the host's log.
     */
    private static final String MULTI_LOADER_NOTICE = "org.jolokia.server.core.service.api.JolokiaService interface is available from multiple class loaders";
    private static final String MULTI_LOADER_LAST = "Possible effect:";
    private boolean inMultiLoaderNotice;

    @Override
    public synchronized void error(String message, Throwable t) {
        String m = message == null ? "" : message;
        if (m.startsWith(MULTI_LOADER_NOTICE)) {
            inMultiLoaderNotice = true;
        }
        if (inMultiLoaderNotice && t == null) {
            LOG.debug(m);
            if (m.startsWith(MULTI_LOADER_LAST)) {
                inMultiLoaderNotice = false;
            }
            return;
        }
        LOG.warn(m, t);
    }

    @Override
    public boolean isDebug() {
        return LOG.isDebugEnabled();
    }
}
