package org.tcpjmx.agent;

/**
 * System properties the agent publishes in the JVM it runs in. The command line reads them through
 * the attach API ({@code status}, {@code list}, {@code attach}); the demo server prints curl lines
 * from the URL. The bootstrap ({@code org.tcpjmx.agent.boot.AgentBoot}) uses the same names.
 */
public final class AgentProperties {
    /** The Jolokia URL, ending with '/', while the agent serves HTTP. */
    public static final String URL = "tcpjmx.agent.url";
    /**
     * Outcome of the last start, attach or detach: {@code running: ...}, {@code failed: ...} or
     * {@code stopped: ...}; the text after the colon is for people.
     */
    public static final String STATUS = "tcpjmx.agent.status";
    /** Status prefix while the agent runs. */
    public static final String RUNNING = "running";
    /** Status prefix after a failed start. */
    public static final String FAILED = "failed";
    /** Status prefix after a detach. */
    public static final String STOPPED = "stopped";

    private AgentProperties() {
    }
}
