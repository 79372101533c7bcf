package org.tcpjmx.platform;

/** Entering another process's network namespace failed: not permitted, the process is gone, or the kernel refused. */
public final class NetworkEntryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean notPermitted;

    /**
     * @param message what failed, naming the process and the kernel's answer
     * @param notPermitted whether it was a missing privilege (CAP_SYS_ADMIN over the namespace), which root would have
     */
    public NetworkEntryException(String message, boolean notPermitted) {
        super(message);
        this.notPermitted = notPermitted;
    }

    /** Whether the missing piece was a privilege (as root it would have worked). */
    public boolean notPermitted() {
        return notPermitted;
    }
}
