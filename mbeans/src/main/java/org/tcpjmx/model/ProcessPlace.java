package org.tcpjmx.model;

import java.nio.file.Path;

/**
 * Where a process lives, as seen from this one: a JVM in a container has another pid inside its own
 * PID namespace, may run as another user, in another network namespace, on another root filesystem.
 *
 * @param pid its pid as this process sees it (what {@code attach} and {@code --pid} take)
 * @param innerPid its pid in its own, innermost PID namespace (as it sees itself); {@code pid} when it shares ours
 * @param uid its effective user id, as this process sees it
 * @param gid its effective group id, as this process sees it
 * @param ownNetwork whether it lives in another network namespace than this process (false when that
 *        cannot be told, e.g. another user's process without root)
 * @param root its root directory, reached from here: files under it are the files as it sees them
 */
public record ProcessPlace(long pid, long innerPid, int uid, int gid, boolean ownNetwork, Path root) {
    /** Whether it sees itself under another pid than ours: it lives in a PID namespace of its own. */
    public boolean ownPids() {
        return innerPid != pid;
    }

    /** The path through {@link #root()} of a file the process names {@code pathInside} (absolute). */
    public Path inside(String pathInside) {
        if (!pathInside.startsWith("/")) {
            throw new IllegalArgumentException("'" + pathInside + "' is not an absolute path inside process " + pid);
        }
        return root.resolve(pathInside.substring(1));
    }
}
