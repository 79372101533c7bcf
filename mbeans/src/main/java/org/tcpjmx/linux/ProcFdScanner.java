package org.tcpjmx.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.tcpjmx.model.SocketOwner;

/**
 * Reads {@code /proc/PID/fd}: which socket inodes a process holds. {@code /proc/self/fd} tells
 * which sockets this JVM owns; the scan of every process (what {@code ss -p} does) is done only
 * when asked, since it costs seconds on a big host.
 */
public final class ProcFdScanner {
    private static final String SOCKET_PREFIX = "socket:[";
    private final Path proc;

    public ProcFdScanner() {
        this(Paths.get("/proc"));
    }

    ProcFdScanner(Path proc) {
        this.proc = proc;
    }

    /** The socket inodes among this process's file descriptors. */
    public InodeSet selfSocketInodes() {
        long[] inodes = new long[64];
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("self/fd"))) {
            for (Path fd : fds) {
                long inode = socketInode(fd);
                if (inode > 0) {
                    if (n == inodes.length) {
                        inodes = Arrays.copyOf(inodes, n * 2);
                    }
                    inodes[n++] = inode;
                }
            }
        } catch (IOException e) {
            return InodeSet.EMPTY;
        }
        return InodeSet.of(Arrays.copyOf(inodes, n));
    }

    /** This process's file descriptor on the socket with {@code inode}, if it has one. */
    public OptionalInt selfFdOf(long inode) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("self/fd"))) {
            for (Path fd : fds) {
                if (socketInode(fd) == inode) {
                    return OptionalInt.of(Integer.parseInt(fd.getFileName().toString()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    /**
     * Socket inode to owning process for every process whose fds this user may read (root: all).
     * A socket shared by several processes maps to the lowest pid.
     */
    public Map<Long, SocketOwner> allSocketOwners() {
        Map<Long, SocketOwner> owners = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isNumber(p.getFileName().toString()))) {
            for (Path pidDir : pids) {
                long pid = Long.parseLong(pidDir.getFileName().toString());
                String command = null;
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
                    for (Path fd : fds) {
                        long inode = socketInode(fd);
                        if (inode > 0) {
                            if (command == null) {
                                command = readCommand(pidDir);
                            }
                            SocketOwner prev = owners.get(inode);
                            if (prev == null || prev.pid() > pid) {
                                owners.put(inode, new SocketOwner(pid, command));
                            }
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // a process that exited or that we may not read: skip it, as ss -p does
                }
            }
        } catch (IOException e) {
            return owners;
        }
        return owners;
    }

    private static String readCommand(Path pidDir) {
        try {
            return Files.readString(pidDir.resolve("comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static long socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith(SOCKET_PREFIX) && target.endsWith("]")) {
                return Long.parseLong(target, SOCKET_PREFIX.length(), target.length() - 1, 10);
            }
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            return -1;
        }
        return -1;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A sorted set of inodes, looked up without boxing. */
    public static final class InodeSet {
        static final InodeSet EMPTY = new InodeSet(new long[0]);
        private final long[] sorted;

        private InodeSet(long[] sorted) {
            this.sorted = sorted;
        }

        static InodeSet of(long[] inodes) {
            long[] s = inodes.clone();
            Arrays.sort(s);
            return new InodeSet(s);
        }

        public boolean contains(long inode) {
            return inode > 0 && Arrays.binarySearch(sorted, inode) >= 0;
        }

        public int size() {
            return sorted.length;
        }
    }
}
