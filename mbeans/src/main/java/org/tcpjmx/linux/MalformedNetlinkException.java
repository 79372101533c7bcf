package org.tcpjmx.linux;

/** A netlink answer whose lengths or fields do not add up; no row is made from it. */
public class MalformedNetlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedNetlinkException(String message) {
        super("malformed netlink answer: " + message);
    }
}
