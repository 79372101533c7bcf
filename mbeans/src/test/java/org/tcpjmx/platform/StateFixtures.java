package org.tcpjmx.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Real loopback sockets pushed into as many TCP states as loopback allows, all on ports of one
 * listener so a test can find exactly its own sockets. Closes everything it made.
 */
final class StateFixtures implements AutoCloseable {
    final InetAddress address;
    final ServerSocket listener;
    final int port;
    private final List<AutoCloseable> open = new ArrayList<>();

    private final ProtocolFamily family;

    /** Sockets of the address's own family: AF_INET for an IPv4 address even in a dual-stack JVM. */
    StateFixtures(InetAddress address) throws IOException {
        this(address, address instanceof java.net.Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
    }

    /** Sockets of the given family; INET6 with an IPv4 address gives IPv4-mapped sockets. */
    StateFixtures(InetAddress address, ProtocolFamily family) throws IOException {
        this.address = address;
        this.family = family;
        // Small receive buffers let a peer fill the window quickly (FIN_WAIT_1, LAST_ACK).
        this.listener = ServerSocketChannel.open(family).socket();
        // No port an earlier TIME_WAIT holds (the JDK sets SO_REUSEADDR on server sockets).
        listener.setReuseAddress(false);
        listener.setReceiveBufferSize(4096);
        listener.bind(new InetSocketAddress(address, 0), 50);
        this.port = listener.getLocalPort();
        open.add(listener);
    }

    int localPort() {
        return port;
    }

    /** A client/server pair, both ESTABLISHED. Returns {client, server}. */
    Socket[] established() throws IOException {
        Socket c = connect(address, port);
        Socket s = listener.getChannel().accept().socket();
        open.add(c);
        open.add(s);
        return new Socket[] {c, s};
    }

    /** The client closes, the server never does: server CLOSE_WAIT, client FIN_WAIT_2. Returns {client port}. */
    Socket[] closeWait() throws IOException, InterruptedException {
        Socket[] p = established();
        p[0].close();
        waitForEof(p[1]);
        return p;
    }

    /** The server closes first after the client did: client ends in TIME_WAIT (no fd). Returns the client's port. */
    int timeWait() throws IOException, InterruptedException {
        Socket[] p = established();
        int clientPort = p[0].getLocalPort();
        p[0].close();
        waitForEof(p[1]);
        p[1].close();
        return clientPort;
    }

    /**
     * LAST_ACK: the client half-closes and never reads, the server fills the client's receive
     * window and closes; its FIN waits behind unsent data. Returns {client, server}.
     */
    Socket[] lastAck() throws IOException, InterruptedException {
        Socket[] p = established();
        p[0].setReceiveBufferSize(4096);
        p[0].shutdownOutput();
        waitForEof(p[1]);
        fillPeerWindow(p[1]);
        p[1].close();
        return p;
    }

    /** FIN_WAIT_1: the client's close waits behind data the server never reads. Returns the client's port. */
    int finWait1() throws IOException, InterruptedException {
        Socket[] p = established();
        int clientPort = p[0].getLocalPort();
        fillPeerWindow(p[0]);
        p[0].close();
        return clientPort;
    }

    /** Writes without blocking until the peer's window and our send buffer are full. */
    private static void fillPeerWindow(Socket s) throws IOException, InterruptedException {
        s.setSendBufferSize(4096);
        // Socket streams block; write from a daemon thread until it blocks, then leave it.
        Thread t = new Thread(() -> {
            byte[] b = new byte[8192];
            try {
                while (true) {
                    s.getOutputStream().write(b);
                }
            } catch (IOException e) {
                // closed by the test
            }
        }, "fill-window");
        t.setDaemon(true);
        t.start();
        Thread.sleep(300);
    }

    private static void waitForEof(Socket s) throws IOException {
        s.setSoTimeout(5000);
        byte[] b = new byte[1024];
        while (s.getInputStream().read(b) >= 0) {
            // drain
        }
    }

    /** A blocking client socket of this fixture's family. */
    Socket connect(InetAddress to, int toPort) throws IOException {
        SocketChannel ch = SocketChannel.open(family);
        ch.connect(new InetSocketAddress(to, toPort));
        return ch.socket();
    }

    /** A listener of this fixture's family. */
    ServerSocket listen(int backlog) throws IOException {
        ServerSocket l = ServerSocketChannel.open(family).socket();
        l.setReuseAddress(false);
        l.bind(new InetSocketAddress(address, 0), backlog);
        return track(l);
    }

    /** A non-blocking connect to a listener whose accept queue is full: SYN_SENT. */
    SocketChannel synSent(ServerSocket fullListener) throws IOException {
        SocketChannel ch = SocketChannel.open(family);
        ch.configureBlocking(false);
        ch.bind(new InetSocketAddress(fullListener.getInetAddress(), 0));
        ch.connect(new InetSocketAddress(fullListener.getInetAddress(), fullListener.getLocalPort()));
        open.add(ch);
        return ch;
    }

    /** Registers something for close. */
    <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // best effort cleanup
            }
        }
    }
}
