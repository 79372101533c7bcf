package org.tcpjmx.model;

import java.util.Locale;

/**
 * A TCP connection state, named as tcpdrop(8) and netstat on FreeBSD name it.
 *
 * <p>Each state knows its Linux number ({@code include/net/tcp_states.h}) and the spelling {@code ss}
 * uses, so input may be given in either form, case-insensitively. Linux's {@code TCP_NEW_SYN_RECV}
 * (12, a request socket) is reported as {@link #SYN_RCVD}.
 */
public enum TcpState {
    CLOSED(7, "closed", "Closed"),
    LISTEN(10, "listen", "Listen"),
    SYN_SENT(2, "syn-sent", "SynSent"),
    SYN_RCVD(3, "syn-recv", "SynReceived"),
    ESTABLISHED(1, "estab", "Established"),
    CLOSE_WAIT(8, "close-wait", "CloseWait"),
    FIN_WAIT_1(4, "fin-wait-1", "FinWait1"),
    CLOSING(11, "closing", "Closing"),
    LAST_ACK(9, "last-ack", "LastAck"),
    FIN_WAIT_2(5, "fin-wait-2", "FinWait2"),
    TIME_WAIT(6, "time-wait", "TimeWait");

    /** Linux's {@code TCP_NEW_SYN_RECV}: a request socket of a listener, counted as SYN_RCVD. */
    public static final int LINUX_NEW_SYN_RECV = 12;

    private static final TcpState[] BY_LINUX = new TcpState[13];

    static {
        for (TcpState s : values()) {
            BY_LINUX[s.linux] = s;
        }
        BY_LINUX[LINUX_NEW_SYN_RECV] = SYN_RCVD;
    }

    private final int linux;
    private final String ssName;
    private final String attributeName;

    TcpState(int linux, String ssName, String attributeName) {
        this.linux = linux;
        this.ssName = ssName;
        this.attributeName = attributeName;
    }

    /** The state's number in the Linux kernel ({@code TCP_ESTABLISHED} is 1, ...). */
    public int linuxNumber() {
        return linux;
    }

    /** The name {@code ss -tan} prints ({@code ESTAB}, {@code TIME-WAIT}, ...) in lower case. */
    public String ssName() {
        return ssName;
    }

    /** The camel-case name of this state's JMX attribute ({@code TimeWait}, ...). */
    public String attributeName() {
        return attributeName;
    }

    /**
     * The Linux state mask bits ({@code 1 << state}) that select this state in an
     * {@code inet_diag_req_v2}; SYN_RCVD includes request sockets.
     */
    public int linuxMask() {
        return this == SYN_RCVD ? (1 << linux) | (1 << LINUX_NEW_SYN_RECV) : 1 << linux;
    }

    /**
     * The state for a Linux state number.
     *
     * @throws IllegalArgumentException for a number the kernel does not define for TCP
     */
    public static TcpState fromLinux(int number) {
        TcpState s = number >= 0 && number < BY_LINUX.length ? BY_LINUX[number] : null;
        if (s == null) {
            throw new IllegalArgumentException("unknown Linux TCP state number " + number);
        }
        return s;
    }

    /** Whether {@code number} is a Linux TCP state number. */
    public static boolean isLinuxState(int number) {
        return number >= 0 && number < BY_LINUX.length && BY_LINUX[number] != null;
    }

    /**
     * Parses a state name: tcpdrop's ({@code TIME_WAIT}), ss's ({@code time-wait}, {@code estab},
     * {@code syn-recv}) or netstat's on Linux ({@code SYN_RECV}, {@code FIN_WAIT1}), in any case.
     *
     * @throws IllegalArgumentException naming the input and the valid names
     */
    public static TcpState parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("missing TCP state; expected one of " + validNames());
        }
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        switch (n) {
            case "ESTAB": return ESTABLISHED;
            case "SYN_RECV": case "SYN_RECEIVED": case "NEW_SYN_RECV": return SYN_RCVD;
            case "FIN_WAIT1": return FIN_WAIT_1;
            case "FIN_WAIT2": return FIN_WAIT_2;
            case "CLOSE": case "UNCONN": return CLOSED;
            case "LISTENING": return LISTEN;
            case "TIMEWAIT": return TIME_WAIT;
            case "CLOSEWAIT": return CLOSE_WAIT;
            case "LASTACK": return LAST_ACK;
            default:
                for (TcpState s : values()) {
                    if (s.name().equals(n)) {
                        return s;
                    }
                }
                throw new IllegalArgumentException("unknown TCP state '" + name + "'; expected one of " + validNames());
        }
    }

    /** The tcpdrop(8) names of all states, for messages. */
    public static String validNames() {
        StringBuilder sb = new StringBuilder();
        for (TcpState s : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(s.name());
        }
        return sb.toString();
    }
}
