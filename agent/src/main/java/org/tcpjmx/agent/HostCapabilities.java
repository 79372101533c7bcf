package org.tcpjmx.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.tcpjmx.model.Backend;

/**
 * What this JVM may do to the host's sockets, worked out without touching any socket: the
 * capability set of the process, the kernel's version and build options, the backend in use.
 *
 * @param capNetAdmin whether CAP_NET_ADMIN is in the effective set ({@code CapEff}, bit 12)
 * @param kernelRelease {@code uname -r}
 * @param destroyConfig whether the kernel was built with {@code CONFIG_INET_DIAG_DESTROY}, when its
 *     configuration is readable ({@code /proc/config.gz} or {@code /boot/config-RELEASE})
 * @param canDropOthers whether sockets of other processes can be destroyed
 * @param canDropTimeWait whether TIME_WAIT entries can be destroyed (Linux 6.0 and later)
 * @param detail one sentence per finding, for operators
 */
public record HostCapabilities(
        boolean capNetAdmin,
        String kernelRelease,
        Optional<Boolean> destroyConfig,
        boolean canDropOthers,
        boolean canDropTimeWait,
        List<String> detail) {

    /** Bit of CAP_NET_ADMIN in the capability masks (linux/capability.h). */
    static final int CAP_NET_ADMIN = 12;
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    public HostCapabilities {
        detail = List.copyOf(detail);
    }

    /** Probes this process and kernel for the given backend. */
    public static HostCapabilities probe(Backend backend) {
        boolean cap = capNetAdmin(readString(Paths.get("/proc/self/status")));
        String release = System.getProperty("os.version", "");
        Optional<Boolean> destroy = destroyConfig(release);
        return of(backend, cap, release, destroy);
    }

    static HostCapabilities of(Backend backend, boolean cap, String release, Optional<Boolean> destroy) {
        List<String> detail = new ArrayList<>();
        detail.add(cap ? "CAP_NET_ADMIN is in the effective capability set: other processes' sockets may be destroyed"
                : "no CAP_NET_ADMIN: only this JVM's own sockets can be dropped (connect AF_UNSPEC on its descriptors)");
        detail.add(destroy.map(d -> d ? "kernel built with CONFIG_INET_DIAG_DESTROY" : "kernel built without CONFIG_INET_DIAG_DESTROY: SOCK_DESTROY is unsupported")
                .orElse("kernel configuration not readable: CONFIG_INET_DIAG_DESTROY assumed, a drop reports 'unsupported' if it is missing"));
        if (backend != Backend.NETLINK) {
            detail.add("backend " + backend.name().toLowerCase(Locale.ROOT) + ": no socket cookies, so no SOCK_DESTROY; only this JVM's own sockets can be dropped");
        }
        boolean others = backend == Backend.NETLINK && cap && destroy.orElse(true);
        boolean timeWait = others && atLeast(release, 6, 0);
        detail.add(timeWait ? "Linux " + release + " (6.0 or later) can destroy TIME_WAIT entries"
                : "TIME_WAIT entries cannot be dropped here (needs Linux 6.0 or later, CAP_NET_ADMIN and netlink; this is " + release + ")");
        return new HostCapabilities(cap, release, destroy, others, timeWait, detail);
    }

    /** Parses the {@code CapEff:} line of {@code /proc/PID/status}. */
    static boolean capNetAdmin(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("CapEff:")) {
                try {
                    long mask = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    return (mask & (1L << CAP_NET_ADMIN)) != 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    static boolean atLeast(String release, int major, int minor) {
        Matcher m = VERSION.matcher(release);
        if (!m.find()) {
            return false;
        }
        int maj = Integer.parseInt(m.group(1));
        int min = Integer.parseInt(m.group(2));
        return maj > major || (maj == major && min >= minor);
    }

    private static Optional<Boolean> destroyConfig(String release) {
        Path gz = Paths.get("/proc/config.gz");
        if (Files.isReadable(gz)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                return Optional.of(hasDestroy(in));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        Path boot = Paths.get("/boot/config-" + release);
        if (Files.isReadable(boot)) {
            try (InputStream in = Files.newInputStream(boot)) {
                return Optional.of(hasDestroy(in));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean hasDestroy(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.equals("CONFIG_INET_DIAG_DESTROY=y")) {
                return true;
            }
        }
        return false;
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
