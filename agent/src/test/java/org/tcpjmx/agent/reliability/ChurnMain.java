package org.tcpjmx.agent.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The load test's churn, a JVM of its own: connections to its own loopback listener opened at a
 * steady rate, each kept while {@code OPEN} others are, then closed client side first (the client
 * end goes through TIME_WAIT). So the host's table holds about {@code 2 * OPEN} established sockets
 * plus a TIME_WAIT trail, and changes all the time. Two descriptors per open connection: 5,000 open
 * connections stay well under the 20,000 descriptors a process may have here.
 *
 * <p>Usage: {@code ChurnMain PER_SECOND OPEN}. Prints {@code CHURN port=P} once listening, and on
 * {@code stop} (or end of input) {@code CHURNED opened=N closed=N failed=N} and exits.
 */
public final class ChurnMain {
    private ChurnMain() {
    }

    public static void main(String[] args) throws Exception {
        int perSecond = Integer.parseInt(args[0]);
        int open = Integer.parseInt(args[1]);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(loopback, 0), 4096);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread stopper = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine()) {
                    // Only "stop" (or the end of input) matters.
                }
            } catch (IOException e) {
                // The test is gone: stop as well.
            }
            running.set(false);
        }, "churn-stop");
        stopper.setDaemon(true);
        stopper.start();
        System.out.println("CHURN port=" + listener.getLocalPort());
        System.out.flush();

        ArrayDeque<Socket[]> pairs = new ArrayDeque<>();
        long opened = 0;
        long closed = 0;
        long failed = 0;
        long pause = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long next = System.nanoTime();
        while (running.get()) {
            try {
                Socket client = new Socket(loopback, listener.getLocalPort());
                Socket served = listener.accept();
                pairs.add(new Socket[] {client, served});
                opened++;
            } catch (IOException e) {
                failed++;
            }
            while (pairs.size() > open) {
                Socket[] oldest = pairs.poll();
                close(oldest[0]);
                close(oldest[1]);
                closed++;
            }
            next += pause;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime(); // Fallen behind by a second: do not try to catch up in a burst.
            }
        }
        for (Socket[] p : pairs) {
            close(p[0]);
            close(p[1]);
            closed++;
        }
        listener.close();
        System.out.println("CHURNED opened=" + opened + " closed=" + closed + " failed=" + failed);
        System.out.flush();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Closing: nothing left to do with it.
        }
    }
}
