package org.tcpjmx.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * A port no other socket of this host is given while the guard is held, for a test that starts a
 * server on a port of its choosing and then counts per local port (which the per-port breakdowns
 * do whatever the address). The guard is a socket bound, with SO_REUSEADDR and without listening,
 * to the dual-stack wildcard: the kernel picked a port that no socket used on any address, skips
 * it for every ephemeral port it picks from then on (bind to port 0, and connect()), and still lets
 * a listener with SO_REUSEADDR (every Java listener) bind it on a specific address.
 */
public final class PortGuard implements AutoCloseable {
    private final SocketChannel guard;
    private final int port;

    public PortGuard() {
        try {
            guard = SocketChannel.open();
            guard.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            guard.bind(new InetSocketAddress(0));
            port = ((InetSocketAddress) guard.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The guarded port. */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            guard.close();
        } catch (IOException e) {
            // an unbound guard is harmless
        }
    }
}
