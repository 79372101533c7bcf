package org.tcpjmx.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.tcpjmx.model.ProcessPlace;
import org.tcpjmx.platform.NetworkEntryException;
import org.tcpjmx.platform.ProcessPlaces;

/**
 * Processes' namespaces through procfs: {@code /proc/PID/status} for the pid inside and the ids,
 * {@code /proc/PID/ns/net} (its inode names the namespace) and {@code /proc/PID/root}.
 */
public final class LinuxProcessPlaces implements ProcessPlaces {
    private static final Path PROC = Paths.get("/proc");

    @Override
    public ProcessPlace place(long pid) {
        Path dir = PROC.resolve(Long.toString(pid));
        ProcPidStatus status;
        try {
            status = ProcPidStatus.read(dir, pid);
        } catch (IOException e) {
            throw new IllegalArgumentException("no process " + pid + " (cannot read " + dir.resolve("status") + ": " + e + ")");
        }
        Optional<Object> theirs = netNamespace(dir);
        Optional<Object> ours = netNamespace(PROC.resolve("self"));
        boolean own = theirs.isPresent() && ours.isPresent() && !theirs.equals(ours);
        return new ProcessPlace(pid, status.innerPid(), status.uid(), status.gid(), own, dir.resolve("root"));
    }

    /** The namespace's identity (device and inode of the nsfs file), empty when we may not look (another user's process). */
    private static Optional<Object> netNamespace(Path procPid) {
        try {
            return Optional.ofNullable(Files.readAttributes(procPid.resolve("ns").resolve("net"), BasicFileAttributes.class).fileKey());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    @Override
    public <T> T inNetworkOf(long pid, Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        Path ns = PROC.resolve(Long.toString(pid)).resolve("ns").resolve("net");
        try {
            return NetNamespaceSwitch.call(ns, "tcpjmx-netns-" + pid, work);
        } catch (NetNamespaceSwitch.SwitchFailure e) {
            boolean privilege = e.errno == Errno.EPERM || e.errno == Errno.EACCES;
            String why = e.errno == Errno.ENOENT ? "process " + pid + " is gone" : privilege ? "not permitted without CAP_SYS_ADMIN" : "the kernel refused";
            throw new NetworkEntryException("cannot enter the network namespace of process " + pid + ": " + why + ": " + e.getMessage(),
                    privilege);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new NetworkEntryException("cannot enter the network namespace of process " + pid
                    + ": native calls (JNA) are unavailable in this JVM: " + e.getMessage(), false);
        }
    }
}
