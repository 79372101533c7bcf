package org.tcpjmx.platform;

import java.util.Locale;
import java.util.function.Supplier;
import org.tcpjmx.linux.LinuxProcessPlaces;
import org.tcpjmx.model.ProcessPlace;

/**
 * Other processes of this host and the namespaces they live in: what the command line needs to reach
 * a JVM in a container (its filesystem, its pid inside, its network namespace).
 */
public interface ProcessPlaces {
    /**
     * Where a process lives.
     *
     * @throws IllegalArgumentException when there is no process {@code pid} (or its details cannot be read)
     */
    ProcessPlace place(long pid);

    /**
     * Runs {@code work} on a short-lived thread of its own that has entered the network namespace of
     * process {@code pid}: a socket that work creates belongs to that namespace for good (so its
     * loopback is the process's loopback). Returns what work returned; an exception of work is rethrown
     * here. Needs CAP_SYS_ADMIN (root); for a process in this namespace it just runs work on that thread.
     *
     * @throws NetworkEntryException when the namespace cannot be entered
     */
    <T> T inNetworkOf(long pid, Supplier<T> work);

    /** The implementation for this OS. */
    static ProcessPlaces open() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            throw new IllegalStateException("tcpjmx knows the namespaces of Linux processes only; this is " + os);
        }
        return new LinuxProcessPlaces();
    }
}
