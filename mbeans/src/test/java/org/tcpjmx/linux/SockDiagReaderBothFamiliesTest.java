package org.tcpjmx.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.IpFamily;

/**
 * One walk of the kernel's socket hash for both families gives exactly the sockets that one dump
 * per family gives, filtered by the kernel or not.
 */
class SockDiagReaderBothFamiliesTest {

    @Test
    void oneWalkFindsTheSameIpv4AndIpv6SocketsAsADumpPerFamily() throws Exception {
        SockDiagReader reader = new SockDiagReader();
        try (ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
             ServerSocketChannel v6 = ServerSocketChannel.open(StandardProtocolFamily.INET6)
                .bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
             SocketChannel c4 = SocketChannel.open(StandardProtocolFamily.INET);
             SocketChannel c6 = SocketChannel.open(StandardProtocolFamily.INET6)) {
            c4.connect(v4.getLocalAddress());
            c6.connect(v6.getLocalAddress());
            try (SocketChannel s4 = v4.accept(); SocketChannel s6 = v6.accept()) {
                int p4 = ((InetSocketAddress) v4.getLocalAddress()).getPort();
                int p6 = ((InetSocketAddress) v6.getLocalAddress()).getPort();
                InetDiagBytecode.Plan ours = InetDiagBytecode.plan(FilterParser.parse(
                        "src 127.0.0.1:" + p4 + " or dst 127.0.0.1:" + p4 + " or src [::1]:" + p6 + " or dst [::1]:" + p6));
                Set<String> oneWalk = new TreeSet<>();
                reader.dumpBothFamilies(ours.stateMask(), 0, ours.bytecode(), m -> oneWalk.add(key(m)));
                Set<String> perFamily = new TreeSet<>();
                reader.dump(IpFamily.INET4, ours.stateMask(), 0, ours.bytecode(), m -> perFamily.add(key(m)));
                reader.dump(IpFamily.INET6, ours.stateMask(), 0, ours.bytecode(), m -> perFamily.add(key(m)));
                // Two listeners and two connected pairs, one of each per family.
                assertEquals(6, oneWalk.size(), oneWalk.toString());
                assertEquals(perFamily, oneWalk);
                assertTrue(oneWalk.stream().anyMatch(k -> k.startsWith("2 ")) && oneWalk.stream().anyMatch(k -> k.startsWith("10 ")),
                        "both families: " + oneWalk);

                // Unfiltered, every socket of the host (other work may add or remove its own meanwhile): ours are among them.
                Set<String> all = new TreeSet<>();
                reader.dumpBothFamilies(LinuxConstants.ALL_STATES_MASK, 0, new byte[0], m -> all.add(key(m)));
                assertTrue(all.containsAll(oneWalk), "missing from the unfiltered walk: " + oneWalk);
            }
        }
    }

    private static String key(InetDiagMessage m) {
        return m.family() + " " + m.state() + " " + m.sport() + " " + m.dport() + " " + Long.toUnsignedString(m.cookie());
    }
}
