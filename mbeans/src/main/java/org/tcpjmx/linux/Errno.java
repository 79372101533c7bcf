package org.tcpjmx.linux;

/** The errno values the backend acts on ({@code include/uapi/asm-generic/errno-base.h}, {@code errno.h}), with their names. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    /** Function not implemented; also what this backend answers when the JVM cannot make native calls at all. */
    public static final int ENOSYS = 38;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EAFNOSUPPORT = 97;
    public static final int EOPNOTSUPP = 95;
    public static final int ENOTCONN = 107;

    private Errno() {
    }

    /** The symbolic name of an errno ({@code "EPERM"}), or {@code "errno N"}. */
    public static String name(int errno) {
        switch (errno) {
            case EPERM: return "EPERM";
            case ENOENT: return "ENOENT";
            case EINTR: return "EINTR";
            case EBADF: return "EBADF";
            case EAGAIN: return "EAGAIN";
            case EACCES: return "EACCES";
            case EBUSY: return "EBUSY";
            case EINVAL: return "EINVAL";
            case ENOSYS: return "ENOSYS";
            case 12: return "ENOMEM";
            case 19: return "ENODEV";
            case 105: return "ENOBUFS";
            case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
            case EAFNOSUPPORT: return "EAFNOSUPPORT";
            case EOPNOTSUPP: return "EOPNOTSUPP";
            case ENOTCONN: return "ENOTCONN";
            case 111: return "ECONNREFUSED";
            default: return "errno " + errno;
        }
    }
}
