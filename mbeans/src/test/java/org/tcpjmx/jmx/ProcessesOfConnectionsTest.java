package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/** queryWithProcesses names the process ss -tanp names for the same socket, selected by its 4-tuple. */
class ProcessesOfConnectionsTest {
    private static final TcpPlatform PLATFORM = TcpPlatforms.open();

    @Test
    void aConnectionOfThisJvmIsHeldByThisProcessAsSsSays() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (LoopbackConnections farm = new LoopbackConnections(PLATFORM);
             TcpJmx.Registration r = TcpJmx.register(server, TcpJmxOptions.of(PLATFORM))) {
            Pair p = farm.established(Flavor.IPV4);
            CompositeData[] rows = (CompositeData[]) server.invoke(TcpJmx.CONNECTIONS, "queryWithProcesses",
                    new Object[] {p.clientFilter(), 0}, new String[] {"java.lang.String", "java.lang.Integer"});
            assertEquals(1, rows.length);
            assertEquals(ProcessHandle.current().pid(), rows[0].get("pid"));

            Process ss = new ProcessBuilder("ss", "-Htanp", "state", "established", p.clientFilter()).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes());
            assertTrue(ss.waitFor(20, TimeUnit.SECONDS));
            Matcher m = Pattern.compile("users:\\(\\(\"([^\"]*)\",pid=(\\d+),").matcher(out);
            assertTrue(m.find(), out);
            assertEquals(Long.parseLong(m.group(2)), rows[0].get("pid"), out);
            assertEquals(m.group(1), rows[0].get("command"), out);
        }
    }
}
