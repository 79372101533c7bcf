package org.tcpjmx.model;

/** The kernel timer pending on a socket, as {@code idiag_timer} and /proc/net/tcp's {@code tr} report it. */
public enum SocketTimer {
    OFF("off"),
    RETRANSMIT("on"),
    KEEPALIVE("keepalive"),
    TIME_WAIT("timewait"),
    PERSIST("persist"),
    UNKNOWN("unknown");

    private final String ssName;

    SocketTimer(String ssName) {
        this.ssName = ssName;
    }

    /** The name {@code ss -o} prints. */
    public String ssName() {
        return ssName;
    }

    /** The timer for the kernel's number (0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe). */
    public static SocketTimer fromLinux(int number) {
        switch (number) {
            case 0: return OFF;
            case 1: return RETRANSMIT;
            case 2: return KEEPALIVE;
            case 3: return TIME_WAIT;
            case 4: return PERSIST;
            default: return UNKNOWN;
        }
    }
}
