package org.tcpjmx.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What this process may do to the host's sockets, as the platform finds it without touching any
 * socket.
 *
 * @param capNetAdmin whether this process holds CAP_NET_ADMIN in its effective set
 * @param kernelRelease the kernel's release ({@code uname -r})
 * @param destroyConfig whether the kernel was built with {@code CONFIG_INET_DIAG_DESTROY}, when its
 *     configuration is readable
 * @param nativeCalls whether this JVM can make native calls (without them not even its own sockets
 *     can be reset)
 */
public record PlatformCapabilities(boolean capNetAdmin, String kernelRelease, Optional<Boolean> destroyConfig,
                                   boolean nativeCalls) {
    public PlatformCapabilities {
        Objects.requireNonNull(kernelRelease, "kernelRelease");
        Objects.requireNonNull(destroyConfig, "destroyConfig");
    }
}
