package org.tcpjmx.linux;

import com.sun.jna.Native;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * setns(2) into a network namespace, on a thread of its own. A thread's network namespace is its own
 * (setns with CLONE_NEWNET changes the calling thread only), and a socket keeps the namespace it was
 * created in; so the thread that entered creates the socket, and ends when the work is done.
 */
final class NetNamespaceSwitch {
    /** The kernel refused: errno and the call. */
    static final class SwitchFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        SwitchFailure(int errno, String call) {
            super(call + ": " + Errno.name(errno) + " (" + LibC.strerror(errno) + ")");
            this.errno = errno;
        }
    }

    private NetNamespaceSwitch() {
    }

    /**
     * Runs {@code work} on a new thread inside the network namespace file {@code nsFile}
     * ({@code /proc/PID/ns/net}); rethrows a runtime exception or error of work here.
     */
    static <T> T call(Path nsFile, String threadName, Supplier<T> work) throws SwitchFailure {
        FutureTask<T> task = new FutureTask<>(() -> {
            enter(nsFile);
            return work.get();
        });
        Thread t = new Thread(task, threadName);
        t.setDaemon(true);
        t.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.interrupt();
            throw new IllegalStateException("interrupted while working in the network namespace " + nsFile, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SwitchFailure) {
                throw (SwitchFailure) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static void enter(Path nsFile) throws SwitchFailure {
        int fd = LibC.open(nsFile.toString(), LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC);
        if (fd < 0) {
            throw new SwitchFailure(Native.getLastError(), "open(" + nsFile + ")");
        }
        try {
            if (LibC.setns(fd, LinuxConstants.CLONE_NEWNET) != 0) {
                throw new SwitchFailure(Native.getLastError(), "setns(" + nsFile + ", CLONE_NEWNET)");
            }
        } finally {
            LibC.close(fd);
        }
    }
}
