package org.tcpjmx.agent.origins;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Optional;
import org.tcpjmx.model.TcpConnection;

/**
 * A connected socket's 4-tuple, the same whether read from the Java object or from a kernel row:
 * addresses as raw bytes, IPv4-mapped IPv6 folded to IPv4 (a dual-stack socket's kernel row says
 * {@code ::ffff:127.0.0.1} where Java says {@code 127.0.0.1}), scope ids left out.
 *
 * <p>A final class with its own equals and hashCode, not a record: a record's are bootstrapped by
 * invokedynamic (ObjectMethods), and after a detach the method handles that made kept the agent's
 * class loader reachable (OriginsIT: the loader was not collected once a read had compared keys).
 */
final class SocketKey {
    private final byte[] local;
    private final int localPort;
    private final byte[] remote;
    private final int remotePort;

    SocketKey(byte[] local, int localPort, byte[] remote, int remotePort) {
        this.local = local;
        this.localPort = localPort;
        this.remote = remote;
        this.remotePort = remotePort;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketKey k && k.localPort == localPort && k.remotePort == remotePort
                && Arrays.equals(k.local, local) && Arrays.equals(k.remote, remote);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(local) * 31 + localPort) * 31 * 31 + Arrays.hashCode(remote) * 31 + remotePort;
    }

    @Override
    public String toString() {
        return hex(local) + ":" + localPort + " " + hex(remote) + ":" + remotePort;
    }

    private static final byte[] MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    /** The key of a kernel row. */
    static SocketKey of(TcpConnection c) {
        return new SocketKey(folded(c.local().address()), c.local().port(), folded(c.remote().address()), c.remote().port());
    }

    /** The key of a connected Socket, SocketChannel or AsynchronousSocketChannel; empty when not connected or unknown. */
    static Optional<SocketKey> of(Object socket) {
        try {
            if (socket instanceof Socket s) {
                InetAddress remote = s.getInetAddress();
                if (!s.isConnected() || s.isClosed() || remote == null) {
                    return Optional.empty();
                }
                return Optional.of(new SocketKey(folded(s.getLocalAddress().getAddress()), s.getLocalPort(),
                        folded(remote.getAddress()), s.getPort()));
            }
            if (socket instanceof SocketChannel ch) {
                return ch.isConnected() ? of(ch, ch.getRemoteAddress()) : Optional.empty();
            }
            if (socket instanceof AsynchronousSocketChannel ch) {
                return of(ch, ch.getRemoteAddress());
            }
        } catch (IOException | RuntimeException e) {
            // Closed under our feet: nothing to record.
        }
        return Optional.empty();
    }

    /**
     * Whether the object is a connected Socket, or a connected, open SocketChannel or
     * AsynchronousSocketChannel, from its own state: no system call, unlike reading its 4-tuple. A
     * Socket's {@code isClosed()} takes a lock, and one closed since is dropped when its record is keyed.
     */
    static boolean connected(Object socket) {
        try {
            if (socket instanceof Socket s) {
                return s.isConnected();
            }
            if (socket instanceof SocketChannel ch) {
                return ch.isOpen() && ch.isConnected();
            }
            return socket instanceof AsynchronousSocketChannel ch && ch.isOpen() && ch.getRemoteAddress() != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The remote address of a connected socket or channel, as the object holds it (no system call); null when unknown. */
    static InetAddress remoteAddress(Object socket) {
        if (socket instanceof Socket s) {
            return s.getInetAddress();
        }
        return remote(socket) instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /** The remote port of a connected socket or channel, as the object holds it; 0 when unknown. */
    static int remotePort(Object socket) {
        if (socket instanceof Socket s) {
            return s.getPort();
        }
        return remote(socket) instanceof InetSocketAddress a ? a.getPort() : 0;
    }

    /** The local port of a bound socket or channel, as the object holds it (no system call); 0 or less when unknown. */
    static int localPort(Object socket) {
        try {
            if (socket instanceof Socket s) {
                return s.getLocalPort();
            }
            return socket instanceof NetworkChannel ch && ch.getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static SocketAddress remote(Object socket) {
        try {
            if (socket instanceof SocketChannel ch) {
                return ch.getRemoteAddress();
            }
            return socket instanceof AsynchronousSocketChannel ch ? ch.getRemoteAddress() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the object is an open channel whose connect is under way (a non-blocking or asynchronous connect). */
    static boolean pending(Object socket) {
        try {
            if (socket instanceof SocketChannel ch) {
                return ch.isOpen() && ch.isConnectionPending();
            }
            return socket instanceof AsynchronousSocketChannel ch && ch.isOpen() && ch.getRemoteAddress() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the Java object still stands for an open socket. */
    static boolean open(Object socket) {
        if (socket instanceof Socket s) {
            return !s.isClosed();
        }
        return socket instanceof NetworkChannel ch && ch.isOpen();
    }

    private static Optional<SocketKey> of(NetworkChannel ch, SocketAddress remote) throws IOException {
        if (!(ch.getLocalAddress() instanceof InetSocketAddress l) || !(remote instanceof InetSocketAddress r)
                || l.getAddress() == null || r.getAddress() == null) {
            return Optional.empty();
        }
        return Optional.of(new SocketKey(folded(l.getAddress().getAddress()), l.getPort(), folded(r.getAddress().getAddress()), r.getPort()));
    }

    /** The address bytes, an IPv4-mapped IPv6 address as its IPv4 one. */
    private static byte[] folded(byte[] a) {
        return a.length == 16 && Arrays.equals(a, 0, 12, MAPPED, 0, 12) ? Arrays.copyOfRange(a, 12, 16) : a;
    }

    private static String hex(byte[] a) {
        StringBuilder b = new StringBuilder(a.length * 2);
        for (byte x : a) {
            b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return b.toString();
    }
}
