package org.tcpjmx.originapp;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The application of the origin tests, outside the agent's packages (whose frames origin tracking
 * skips): on each stdin line it opens one socket of that kind from a known line and prints
 * {@code OPENED kind LADDR LPORT RADDR RPORT ORIGIN}, ORIGIN being the frame of that very line, as
 * tracking should report it. Every socket stays open until the JVM ends.
 */
public final class SocketOpener {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final List<AutoCloseable> KEEP = new ArrayList<>();
    private static final ServerSocket LISTENER = listener();

    private SocketOpener() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("READY port=" + LISTENER.getLocalPort());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            try {
                open(line.trim());
            } catch (Exception e) {
                System.out.println("FAILED " + line + " " + e);
            }
        }
    }

    private static void open(String kind) throws Exception {
        InetSocketAddress to = new InetSocketAddress(LOOPBACK, LISTENER.getLocalPort());
        switch (kind) {
            case "socket" -> {
                Socket s = new Socket();
                s.connect(to); String at = here();
                print(kind, s, at);
            }
            case "accept" -> {
                Socket client = new Socket(LOOPBACK, LISTENER.getLocalPort());
                Socket s = LISTENER.accept(); String at = here();
                KEEP.add(client);
                print(kind, s, at);
            }
            case "channel" -> {
                SocketChannel ch = SocketChannel.open();
                ch.connect(to); String at = here();
                print(kind, ch.socket(), at, ch);
            }
            case "finishConnect" -> {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                // A pending connect's origin is where it was asked for, not where the selector loop finished it.
                boolean done = ch.connect(to); String at = here();
                while (!done) {
                    done = ch.finishConnect();
                }
                print(kind, ch.socket(), at, ch);
            }
            case "channelAccept" -> {
                try (ServerSocketChannel server = ServerSocketChannel.open()) {
                    server.bind(new InetSocketAddress(LOOPBACK, 0));
                    Socket client = new Socket(LOOPBACK, ((InetSocketAddress) server.getLocalAddress()).getPort());
                    SocketChannel ch = server.accept(); String at = here();
                    KEEP.add(client);
                    print(kind, ch.socket(), at, ch);
                }
            }
            case "async" -> {
                AsynchronousSocketChannel ch = AsynchronousSocketChannel.open();
                ch.connect(to).get(); String at = here();
                InetSocketAddress l = (InetSocketAddress) ch.getLocalAddress();
                InetSocketAddress r = (InetSocketAddress) ch.getRemoteAddress();
                KEEP.add(ch);
                System.out.println("OPENED " + kind + " " + l.getAddress().getHostAddress() + " " + l.getPort() + " "
                        + r.getAddress().getHostAddress() + " " + r.getPort() + " " + at);
            }
            case "asyncAccept" -> {
                // Asked before the client connects, so the accept is pending and a JDK handler thread completes it.
                AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
                CompletableFuture<AsynchronousSocketChannel> done = new CompletableFuture<>();
                CompletionHandler<AsynchronousSocketChannel, Void> handler = new CompletionHandler<>() {
                    @Override
                    public void completed(AsynchronousSocketChannel ch, Void att) {
                        done.complete(ch);
                    }

                    @Override
                    public void failed(Throwable exc, Void att) {
                        done.completeExceptionally(exc);
                    }
                };
                server.accept(null, handler); String at = here();
                printAccepted(kind, server, done, at);
            }
            case "asyncAcceptFuture" -> {
                AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
                Future<AsynchronousSocketChannel> done = server.accept(); String at = here();
                printAccepted(kind, server, done, at);
            }
            default -> System.out.println("FAILED unknown kind " + kind);
        }
    }

    /** Connects a client to the server whose accept is pending and prints the accepted channel. */
    private static void printAccepted(String kind, AsynchronousServerSocketChannel server, Future<AsynchronousSocketChannel> accepted,
                                      String at) throws Exception {
        Socket client = new Socket(LOOPBACK, ((InetSocketAddress) server.getLocalAddress()).getPort());
        AsynchronousSocketChannel ch = accepted.get(20, TimeUnit.SECONDS);
        KEEP.addAll(List.of(server, client, ch));
        InetSocketAddress l = (InetSocketAddress) ch.getLocalAddress();
        InetSocketAddress r = (InetSocketAddress) ch.getRemoteAddress();
        System.out.println("OPENED " + kind + " " + l.getAddress().getHostAddress() + " " + l.getPort() + " "
                + r.getAddress().getHostAddress() + " " + r.getPort() + " " + at);
    }

    private static void print(String kind, Socket s, String at, AutoCloseable... keep) {
        KEEP.add(s);
        KEEP.addAll(List.of(keep));
        System.out.println("OPENED " + kind + " " + s.getLocalAddress().getHostAddress() + " " + s.getLocalPort() + " "
                + s.getInetAddress().getHostAddress() + " " + s.getPort() + " " + at);
    }

    /** The caller's frame, as origin tracking formats it. */
    private static String here() {
        StackWalker.StackFrame f = StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow();
        return f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")";
    }

    private static ServerSocket listener() {
        try {
            return new ServerSocket(0, 50, LOOPBACK);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
