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

    @Override
    public void error(String message, Throwable t) {
        LOG.warn(message, t);
    }

    @Override
    public boolean isDebug() {
        return LOG.isDebugEnabled();
    }
}
