package org.tcpjmx.agent.cli;

/** The command line's exit statuses. */
final class ExitStatus {
    /** Done. */
    static final int OK = 0;
    /** Something failed (a connection not dropped, a JVM that cannot be attached, an agent not running). */
    static final int FAILED = 1;
    /** Usage error ({@code EX_USAGE} of sysexits.h), as tcpdrop's. */
    static final int USAGE = 64;

    private ExitStatus() {
    }
}
