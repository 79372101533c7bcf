package org.tcpjmx.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libc calls the Linux backend makes, bound by JNA direct mapping (no per-call reflection).
 * {@code size_t}/{@code ssize_t} are Java {@code long}: the backend runs on 64-bit Linux only.
 * After a call that failed, {@link Native#getLastError()} holds errno.
 */
final class LibC {
    static {
        // The full soname: a short "c" makes JNA search, and on Linux run ldconfig -p, inside the host JVM.
        Native.register(NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol);

    static native long send(int fd, Pointer buf, long len, int flags);

    static native long recv(int fd, Pointer buf, long len, int flags);

    static native int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);

    static native int connect(int fd, Pointer addr, int addrlen);

    static native int close(int fd);

    static native int open(String path, int flags);

    static native int setns(int fd, int nstype);

    static native String strerror(int errnum);
}
