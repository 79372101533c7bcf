package org.tcpjmx.linux;

/** A netlink call or answer failed; carries the errno and its name. */
public class NetlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public NetlinkException(String what, int errno) {
        super(what + ": " + Errno.name(errno) + describe(errno));
        this.errno = errno;
    }

    private static String describe(int errno) {
        try {
            String s = LibC.strerror(errno);
            return s == null ? "" : " (" + s + ")";
        } catch (Throwable t) {
            return "";
        }
    }

    /** The errno the kernel or libc gave. */
    public int errno() {
        return errno;
    }
}
