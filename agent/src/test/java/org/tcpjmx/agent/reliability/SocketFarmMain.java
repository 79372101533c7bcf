package org.tcpjmx.agent.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One process of a socket farm: a loopback listener of its own and {@code PAIRS} connections to it,
 * both ends held (two ESTABLISHED sockets a pair), printing {@code FARM READY port=P} and holding
 * them until standard input ends. SO_LINGER 0: when the process ends its sockets are reset, so the
 * farm leaves no TIME_WAIT behind. One listener a process keeps each destination far from running
 * out of ephemeral ports; the caller keeps {@code 2 × PAIRS} under the descriptor limit.
 */
public final class SocketFarmMain {
    /** The kernel caps the accept queue at net.core.somaxconn; connect a batch, then accept it. */
    private static final int BATCH = 1000;

    private SocketFarmMain() {
    }

    public static void main(String[] args) throws IOException {
        int pairs = Integer.parseInt(args[0]);
        List<SocketChannel> held = new ArrayList<>(2 * pairs);
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BATCH * 2);
            InetSocketAddress target = (InetSocketAddress) listener.getLocalAddress();
            for (int done = 0; done < pairs; done += BATCH) {
                int n = Math.min(BATCH, pairs - done);
                for (int i = 0; i < n; i++) {
                    held.add(abortive(SocketChannel.open(target)));
                }
                for (int i = 0; i < n; i++) {
                    held.add(abortive(listener.accept()));
                }
            }
            System.out.println("FARM READY port=" + target.getPort());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // Holds the sockets until the harness closes standard input or dies.
            }
        } finally {
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }

    private static SocketChannel abortive(SocketChannel c) throws IOException {
        c.setOption(StandardSocketOptions.SO_LINGER, 0);
        return c;
    }
}
