package org.tcpjmx.linux;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls the Linux backend makes, bound by JNA interface mapping.
 * {@code size_t}/{@code ssize_t} are Java {@code long}: the backend runs on 64-bit Linux only.
 * After a call that failed, {@link Native#getLastError()} holds errno.
 *
 * <p>Not direct mapping ({@code Native.register}): it makes one libffi closure per method, and
 * libffi's first closure opens a trampoline file ({@code tramp_globals.fd}, a deleted
 * {@code $TMPDIR/ffiXXXXXX}) that it never closes, not even when JNA's native library is
 * unloaded; each attach of the agent loads a fresh copy, so each attach/detach cycle would leave
 * one descriptor in the host. Interface mapping calls through {@code ffi_call} and makes no closure.
 * The netlink calls are a handful per table read, so the proxy's cost does not show.
 */
final class LibC {
    /** The full soname: a short "c" makes JNA search, and on Linux run ldconfig -p, inside the host JVM. */
    private static final Calls C = Native.load(com.sun.jna.Platform.C_LIBRARY_NAME, Calls.class);

    private LibC() {
    }

    /** The libc functions, as JNA maps them. */
    interface Calls extends Library {
        int socket(int domain, int type, int protocol);

        long send(int fd, Pointer buf, long len, int flags);

        long recv(int fd, Pointer buf, long len, int flags);

        int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);

        int connect(int fd, Pointer addr, int addrlen);

        int close(int fd);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        String strerror(int errnum);
    }

    static int socket(int domain, int type, int protocol) {
        return C.socket(domain, type, protocol);
    }

    static long send(int fd, Pointer buf, long len, int flags) {
        return C.send(fd, buf, len, flags);
    }

    static long recv(int fd, Pointer buf, long len, int flags) {
        return C.recv(fd, buf, len, flags);
    }

    static int setsockopt(int fd, int level, int optname, Pointer optval, int optlen) {
        return C.setsockopt(fd, level, optname, optval, optlen);
    }

    static int connect(int fd, Pointer addr, int addrlen) {
        return C.connect(fd, addr, addrlen);
    }

    static int close(int fd) {
        return C.close(fd);
    }

    static int open(String path, int flags) {
        return C.open(path, flags);
    }

    static int setns(int fd, int nstype) {
        return C.setns(fd, nstype);
    }

    static String strerror(int errnum) {
        return C.strerror(errnum);
    }
}
