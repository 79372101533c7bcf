package org.tcpjmx.platform;

/**
 * A kernel call or answer behind the platform failed (a netlink error, a malformed answer). The
 * message says what failed and why, in the kernel's terms ({@code "sock_diag dump: EPERM
 * (Operation not permitted)"}); the backend's own exception is the cause.
 */
public class TcpPlatformException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TcpPlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
