package org.tcpjmx.jmx;

import java.util.function.Predicate;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * How {@link TcpJmx#register} sets the MBeans up.
 *
 * @param platform the TCP table and kernel calls to use
 * @param readOnly when true every operation of {@code org.tcpjmx:type=Drop} is refused with a
 *     {@link SecurityException} saying so (Jolokia answers 403 with that message)
 * @param protectedConnection connections that bulk drops ({@code dropAll}, {@code dropState},
 *     {@code dropMatching}, ...) skip and {@code listOnly} does not list: the agent's own management
 *     connections. {@code drop} and {@code dropSpec}, which name one connection exactly, still drop
 *     it, as {@link org.tcpjmx.drop.TcpDropper} does
 */
public record TcpJmxOptions(TcpPlatform platform, boolean readOnly, Predicate<TcpConnection> protectedConnection) {
    public TcpJmxOptions {
        if (platform == null || protectedConnection == null) {
            throw new IllegalArgumentException("TcpJmxOptions need a platform and a protectedConnection predicate"
                    + " (use c -> false to protect nothing)");
        }
    }

    /** The platform {@link TcpPlatforms#open()} chooses, drops allowed, nothing protected. */
    public static TcpJmxOptions defaults() {
        return of(TcpPlatforms.open());
    }

    /** The given platform, drops allowed, nothing protected. */
    public static TcpJmxOptions of(TcpPlatform platform) {
        return new TcpJmxOptions(platform, false, c -> false);
    }

    /** The same options with another platform. */
    public TcpJmxOptions withPlatform(TcpPlatform p) {
        return new TcpJmxOptions(p, readOnly, protectedConnection);
    }

    /** The same options, read-only or not. */
    public TcpJmxOptions withReadOnly(boolean ro) {
        return new TcpJmxOptions(platform, ro, protectedConnection);
    }

    /** The same options with another set of protected connections. */
    public TcpJmxOptions withProtectedConnection(Predicate<TcpConnection> p) {
        return new TcpJmxOptions(platform, readOnly, p);
    }
}
