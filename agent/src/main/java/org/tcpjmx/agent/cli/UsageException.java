package org.tcpjmx.agent.cli;

/** A command line that cannot be run as typed: exit 64 with the verb's usage. */
final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
