package org.tcpjmx.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One process of the socket farm: opens a listener on 127.0.0.1 (its own port, so the farm's
 * processes never compete for the ephemeral ports of one destination), connects {@code --pairs}
 * loopback clients to it and accepts them (two ESTABLISHED sockets per pair), optionally leaves
 * {@code --time-wait} sockets in TIME_WAIT, prints one {@code READY} line and holds every socket
 * until its standard input ends.
 *
 * <p>Runs as {@code java -cp <bench jar> org.tcpjmx.bench.FarmWorker --pairs N [--time-wait N]}.
 * Protocol on standard output, one line each: {@code READY port=P pairs=N timewait=N pid=PID} or
 * {@code FAILED reason}; then, for each {@code heap} line read from standard input,
 * {@code HEAP <used heap bytes after GC>} (how the harness measures an attached agent's idle heap).
 * A worker never outlives its harness: standard input ends when the harness dies.
 */
public final class FarmWorker {
    /** The kernel caps the accept queue at net.core.somaxconn (4096 here); stay inside it. */
    private static final int BATCH = 1000;

    private FarmWorker() {
    }

    /** Entry point of a farm process. */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        int pairs;
        int timeWait;
        try {
            pairs = intOption(args, "--pairs", 0);
            timeWait = intOption(args, "--time-wait", 0);
        } catch (IllegalArgumentException e) {
            out.println("FAILED " + e.getMessage());
            return;
        }
        List<SocketChannel> held = new ArrayList<>(2 * pairs + 1);
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BATCH * 2);
            InetSocketAddress target = (InetSocketAddress) listener.getLocalAddress();
            connectPairs(listener, target, pairs, held);
            leaveTimeWait(listener, target, timeWait);
            out.println("READY port=" + target.getPort() + " pairs=" + pairs + " timewait=" + timeWait
                    + " pid=" + ProcessHandle.current().pid());
        } catch (IOException | RuntimeException e) {
            out.println("FAILED " + e);
            closeAll(held, listener);
            return;
        }
        serve(out);
        closeAll(held, listener);
    }

    /** Connects in batches, then accepts the batch: on loopback the kernel completes the handshake before accept. */
    private static void connectPairs(ServerSocketChannel listener, InetSocketAddress target, int pairs,
                                     List<SocketChannel> held) throws IOException {
        int done = 0;
        while (done < pairs) {
            int n = Math.min(BATCH, pairs - done);
            for (int i = 0; i < n; i++) {
                held.add(abortive(SocketChannel.open(target)));
            }
            for (int i = 0; i < n; i++) {
                held.add(abortive(listener.accept()));
            }
            done += n;
        }
    }

    /**
     * The client closes first (active close: it ends in TIME_WAIT, holding no descriptor), then the
     * server side closes so the client leaves FIN_WAIT2.
     */
    private static void leaveTimeWait(ServerSocketChannel listener, InetSocketAddress target, int count) throws IOException {
        int done = 0;
        while (done < count) {
            int n = Math.min(BATCH, count - done);
            List<SocketChannel> clients = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                clients.add(SocketChannel.open(target));
            }
            List<SocketChannel> servers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                servers.add(listener.accept());
            }
            for (SocketChannel c : clients) {
                c.close();
            }
            for (SocketChannel s : servers) {
                s.close();
            }
            done += n;
        }
    }

    /**
     * SO_LINGER 0: when this process ends (or is killed) its sockets are reset instead of closed,
     * so a farm leaves no TIME_WAIT behind to skew the next measurement.
     */
    private static SocketChannel abortive(SocketChannel c) throws IOException {
        c.setOption(StandardSocketOptions.SO_LINGER, 0);
        return c;
    }

    /** Answers {@code heap} requests until standard input ends. */
    private static void serve(PrintStream out) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals("heap")) {
                out.println("HEAP " + usedHeapAfterGc());
            } else if (!line.isBlank()) {
                out.println("UNKNOWN " + line.trim() + " (the only command is: heap)");
            }
        }
    }

    /** Heap in use once garbage is gone: several full collections, as one may leave floating garbage. */
    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a number");
                }
                try {
                    int v = Integer.parseInt(args[i + 1]);
                    if (v < 0) {
                        throw new NumberFormatException();
                    }
                    return v;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " '" + args[i + 1] + "' is not a count (0 or more)");
                }
            }
        }
        return fallback;
    }

    private static void closeAll(List<SocketChannel> held, ServerSocketChannel listener) {
        for (SocketChannel c : held) {
            try {
                c.close();
            } catch (IOException e) {
                // closing on the way out: nothing left to do with the error
            }
        }
        try {
            listener.close();
        } catch (IOException e) {
            // same
        }
    }
}
