package org.tcpjmx.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.PlatformCapabilities;
import org.tcpjmx.platform.TcpPlatform;

/**
 * What this JVM may do to the host's sockets, worked out without touching any socket from what the
 * platform reports (the capability set of the process, the kernel's version and build options) and
 * the backend in use.
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

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    public HostCapabilities {
        detail = List.copyOf(detail);
    }

    /** Asks the platform what this process and kernel allow, for the platform's backend. */
    public static HostCapabilities probe(TcpPlatform platform) {
        PlatformCapabilities c = platform.capabilities();
        return of(platform.backend(), c.capNetAdmin(), c.kernelRelease(), c.destroyConfig(), c.nativeCalls());
    }

    static HostCapabilities of(Backend backend, boolean cap, String release, Optional<Boolean> destroy) {
        return of(backend, cap, release, destroy, true);
    }

    /** @param nativeCalls whether JNA works in this JVM: without it not even this JVM's own sockets can be reset */
    static HostCapabilities of(Backend backend, boolean cap, String release, Optional<Boolean> destroy, boolean nativeCalls) {
        List<String> detail = new ArrayList<>();
        detail.add(cap ? "CAP_NET_ADMIN is in the effective capability set: other processes' sockets may be destroyed"
                : "no CAP_NET_ADMIN: only this JVM's own sockets can be dropped (connect AF_UNSPEC on its descriptors)");
        detail.add(destroy.map(d -> d ? "kernel built with CONFIG_INET_DIAG_DESTROY" : "kernel built without CONFIG_INET_DIAG_DESTROY: SOCK_DESTROY is unsupported")
                .orElse("kernel configuration not readable: CONFIG_INET_DIAG_DESTROY assumed, a drop reports 'unsupported' if it is missing"));
        if (backend != Backend.NETLINK) {
            detail.add("backend " + backend.name().toLowerCase(Locale.ROOT) + ": no socket cookies, so no SOCK_DESTROY; "
                    + (nativeCalls ? "only this JVM's own sockets can be dropped"
                            : "and no native calls (JNA could not load here), so no socket can be dropped, not even this JVM's own"));
        }
        boolean others = backend == Backend.NETLINK && cap && destroy.orElse(true);
        boolean timeWait = others && atLeast(release, 6, 0);
        detail.add(timeWait ? "Linux " + release + " (6.0 or later) can destroy TIME_WAIT entries"
                : "TIME_WAIT entries cannot be dropped here (needs Linux 6.0 or later, CAP_NET_ADMIN and netlink; this is " + release + ")");
        return new HostCapabilities(cap, release, destroy, others, timeWait, detail);
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
}
