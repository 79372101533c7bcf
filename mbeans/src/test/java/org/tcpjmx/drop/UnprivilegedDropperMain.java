package org.tcpjmx.drop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.BlockedRead;

/**
 * The child JVM of {@link DroppingWithoutCapNetAdminTest}, run as nobody without capabilities: it
 * makes a loopback connection of its own and one to the test's listener, then (when told) drops its
 * own end of the first and the test's end of the second, and prints what happened, one
 * {@code KEY value} line each.
 */
public final class UnprivilegedDropperMain {
    private UnprivilegedDropperMain() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int parentPort = Integer.parseInt(args[0]);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("CapEff:") || line.startsWith("Uid:")) {
                out.println(line.replace(":", "").replaceAll("\\s+", " "));
            }
        }
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
             SocketChannel own = SocketChannel.open(StandardProtocolFamily.INET);
             SocketChannel toParent = SocketChannel.open(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress(loopback, 0));
            int listenerPort = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            own.connect(new InetSocketAddress(loopback, listenerPort));
            try (SocketChannel ownPeer = listener.accept()) {
                toParent.connect(new InetSocketAddress(loopback, parentPort));
                int ownPort = ((InetSocketAddress) own.getLocalAddress()).getPort();
                int toParentPort = ((InetSocketAddress) toParent.getLocalAddress()).getPort();
                out.println("TO_PARENT " + toParentPort);
                if (!"drop".equals(in.readLine())) {
                    throw new IllegalStateException("expected 'drop' from the test");
                }

                BlockedRead ownerRead = BlockedRead.start(own);
                BlockedRead peerRead = BlockedRead.start(ownPeer);
                TcpDropper dropper = new TcpDropper(TcpPlatforms.open("netlink"));
                DropReport mine = dropper.dropOne("127.0.0.1", Integer.toString(ownPort), "127.0.0.1", Integer.toString(listenerPort));
                DropReport theirs = dropper.dropOne("127.0.0.1", Integer.toString(parentPort), "127.0.0.1", Integer.toString(toParentPort));
                out.println("OWN " + mine.outcomes().get(0).status() + " " + mine.outcomes().get(0).message());
                out.println("OTHER " + theirs.outcomes().get(0).status() + " " + theirs.outcomes().get(0).message());
                out.println("OWNER_READ " + ownerRead.await(Duration.ofSeconds(10)));
                out.println("PEER_READ " + peerRead.await(Duration.ofSeconds(10)));
                out.println("OWN_CHANNEL_OPEN " + own.isOpen());
                out.println("WAITING");

                // The test writes one byte on its end of the connection it could not drop.
                ByteBuffer b = ByteBuffer.allocate(1);
                int n = toParent.read(b);
                out.println("FROM_PARENT " + (n == 1 ? Integer.toString(b.get(0)) : "read " + n));
            }
        }
    }
}
