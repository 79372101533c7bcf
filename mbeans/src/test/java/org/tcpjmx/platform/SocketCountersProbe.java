package org.tcpjmx.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.jmx.TcpJmx;
import org.tcpjmx.jmx.TcpJmxOptions;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpSocketCounters;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;

/**
 * Run inside a network namespace of its own by {@link SocketCountersTest}: builds a known set of
 * sockets, then prints the kernel's counters as the platform reads them, the raw sockstat files,
 * {@code ss -s}, the table's histogram and the two MBean attributes that read the counters.
 */
public final class SocketCountersProbe {
    private SocketCountersProbe() {
    }

    public static void main(String[] args) throws Exception {
        TcpPlatform platform = TcpPlatforms.open();
        try (LoopbackConnections farm = new LoopbackConnections(platform)) {
            for (int i = 0; i < 3; i++) {
                farm.established(Flavor.IPV4);
            }
            farm.established(Flavor.IPV6);
            farm.established(Flavor.IPV6);
            farm.established(Flavor.V4_MAPPED);
            farm.timeWait(Flavor.IPV4);
            farm.timeWait(Flavor.IPV4);
            farm.timeWait(Flavor.IPV6);
            farm.closeWait(Flavor.IPV4);
            // Closed by its application in FIN_WAIT_2: the kernel keeps it as a timewait entry.
            LoopbackConnections.Pair orphan = farm.closeWait(Flavor.IPV4);
            orphan.client().close();
            farm.awaitTable(rows -> rows.stream().anyMatch(c -> orphan.isClientEnd(c) && c.state() == TcpState.FIN_WAIT_2
                    && c.inode() == 0), "the closed FIN_WAIT_2 end without a file");

            TcpSocketCounters c = platform.socketCounters().orElseThrow();
            System.out.println("COUNTERS " + c.inUseIpv4() + " " + c.inUseIpv6() + " " + c.timeWait() + " " + c.sockets());
            for (String f : List.of("sockstat", "sockstat6")) {
                for (String line : Files.readAllLines(Path.of("/proc/net", f))) {
                    System.out.println("FILE " + line);
                }
            }
            Process ss = new ProcessBuilder("ss", "-s").redirectErrorStream(true).start();
            for (String line : new String(ss.getInputStream().readAllBytes()).split("\n")) {
                System.out.println("SS " + line);
            }
            ss.waitFor();
            StateHistogram h = platform.histogram(Filter.ALL);
            for (TcpState s : TcpState.values()) {
                System.out.println("TABLE " + s.name() + " " + h.count(s));
            }
            MBeanServer server = MBeanServerFactory.newMBeanServer();
            try (TcpJmx.Registration r = TcpJmx.register(server, TcpJmxOptions.of(platform))) {
                long walks = platform.tableWalks();
                System.out.println("JMX Count " + server.getAttribute(TcpJmx.CONNECTIONS, "Count"));
                System.out.println("JMX TimeWait " + server.getAttribute(TcpJmx.STATES, "TimeWait"));
                System.out.println("JMX walks " + (platform.tableWalks() - walks));
            }
            System.out.println("AFTER " + platform.socketCounters().orElseThrow().sockets());
            System.out.flush();
        }
    }
}
