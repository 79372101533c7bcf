package org.tcpjmx.originapp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.AsynchronousSocketChannel;

/**
 * Asynchronous connects on loopback for {@code args[0]} seconds while another thread fills the heap
 * with garbage, so collections keep landing while a JDK handler thread is inside the rewritten
 * connect methods; prints {@code DONE n} at the end. Run interpreted ({@code -Xint}), a collection
 * then computes the interpreter's oop map of those methods: on JDK 17 a rewritten
 * {@code UnixAsynchronousSocketChannelImpl.finishConnect(boolean)} made HotSpot abort the JVM there
 * ("Illegal class file encountered" in GenerateOopMap) within a second or two.
 */
public final class AsyncConnectsUnderGc {
    private static volatile Object garbage;

    private AsyncConnectsUnderGc() {
    }

    public static void main(String[] args) throws Exception {
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1024, lo)) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        server.accept().close();
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            Thread churn = new Thread(() -> {
                while (true) {
                    garbage = new byte[4096];
                }
            }, "garbage");
            churn.setDaemon(true);
            churn.start();
            InetSocketAddress to = new InetSocketAddress(lo, server.getLocalPort());
            long n = 0;
            while (System.nanoTime() < end) {
                try (AsynchronousSocketChannel ch = AsynchronousSocketChannel.open()) {
                    ch.connect(to).get();
                }
                n++;
            }
            System.out.println("DONE " + n);
        }
    }
}
