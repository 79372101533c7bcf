package org.tcpjmx.filter;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.tcpjmx.model.IpFamily;

/**
 * The names a filter may use where ss takes them: host names (resolved on a daemon thread with a
 * deadline, because {@code getaddrinfo} cannot be interrupted), TCP service names from
 * {@code /etc/services} (what ss's {@code getservbyname} reads), interface names and cgroup v2
 * paths. Only the JDK is used, so the filter package stays free of the kernel layer.
 */
final class FilterNames {
    /** How long a host name may take to resolve before the filter is refused. */
    static final long RESOLVE_TIMEOUT_MILLIS = 2500;
    /** /etc/services is a few tens of kilobytes; refuse to read a runaway one. */
    private static final int MAX_SERVICES_BYTES = 4 << 20;
    private static final ThreadPoolExecutor LOOKUPS = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), daemonThreads());
    private static volatile Map<String, Integer> services;

    private FilterNames() {
    }

    /**
     * Every address of a host name, of one family or (null) both.
     *
     * @throws IllegalArgumentException when the name does not resolve in time, or to nothing of that family
     */
    static List<byte[]> host(String name, IpFamily family) {
        Future<InetAddress[]> f;
        try {
            f = LOOKUPS.submit(() -> InetAddress.getAllByName(name));
        } catch (RejectedExecutionException e) {
            throw new IllegalArgumentException("too many earlier name lookups are still hanging; give a numeric address");
        }
        InetAddress[] found;
        try {
            found = f.get(RESOLVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalArgumentException("does not resolve within " + RESOLVE_TIMEOUT_MILLIS
                    + " ms (is DNS reachable?); give a numeric address");
        } catch (ExecutionException e) {
            throw new IllegalArgumentException(e.getCause() instanceof UnknownHostException
                    ? "is not a known host name" : "cannot be resolved: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new IllegalArgumentException("interrupted while resolving it");
        }
        List<byte[]> out = new ArrayList<>();
        for (InetAddress a : found) {
            byte[] raw = a.getAddress();
            if ((family == null || family.addressLength() == raw.length) && out.stream().noneMatch(o -> Arrays.equals(o, raw))) {
                out.add(raw);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("resolves to no " + (family == IpFamily.INET6 ? "IPv6 " : "IPv4 ") + "address");
        }
        return out;
    }

    /** The TCP port of a service name in /etc/services (names and aliases), if any. */
    static OptionalInt service(String name) {
        Map<String, Integer> s = services;
        if (s == null) {
            s = readServices(Path.of("/etc/services"));
            services = s;
        }
        Integer port = s.get(name);
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    static Map<String, Integer> readServices(Path file) {
        Map<String, Integer> out = new HashMap<>();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_SERVICES_BYTES);
        } catch (IOException e) {
            return out;
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            int hash = line.indexOf('#');
            String[] f = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
            if (f.length < 2 || !f[1].endsWith("/tcp")) {
                continue;
            }
            String p = f[1].substring(0, f[1].length() - 4);
            if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) > 65535) {
                continue;
            }
            for (int i = 0; i < f.length; i++) {
                if (i != 1) {
                    out.putIfAbsent(f[i], Integer.parseInt(p));
                }
            }
        }
        return out;
    }

    /** The index of an interface of this network namespace, if there is one by that name. */
    static OptionalInt interfaceIndex(String name) {
        try {
            NetworkInterface n = NetworkInterface.getByName(name);
            return n == null || n.getIndex() <= 0 ? OptionalInt.empty() : OptionalInt.of(n.getIndex());
        } catch (SocketException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * The cgroup v2 id of a path, as ss's {@code get_cgroup2_id}: the path itself when it is a
     * cgroup2 directory, else the path under the cgroup2 mount. The id is the directory's inode
     * number (kernfs hands it out as the file handle the kernel's cgroup id is).
     *
     * @throws IllegalArgumentException naming what was looked for
     */
    static long cgroupId(String path) {
        Path mount = cgroup2Mount();
        List<Path> tries = new ArrayList<>();
        Path asGiven = Path.of(path);
        if (mount != null && asGiven.isAbsolute() && asGiven.normalize().startsWith(mount)) {
            tries.add(asGiven);
        }
        String relative = path.replaceFirst("^/+", "");
        if (mount != null) {
            tries.add(relative.isEmpty() ? mount : mount.resolve(relative));
        }
        for (Path p : tries) {
            if (Files.isDirectory(p)) {
                try {
                    return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
                } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                    throw new IllegalArgumentException("cannot read the cgroup id of " + p + ": " + e.getMessage());
                }
            }
        }
        throw new IllegalArgumentException(mount == null ? "no cgroup2 file system is mounted"
                : "no cgroup " + path + " under the cgroup2 mount " + mount);
    }

    private static Path cgroup2Mount() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) {
                    return Path.of(f[1]);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tcpjmx-filter-resolver-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
