package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * A second JVM with only the JDK on its class path (PlainJmxClient run as a source file) reads every
 * attribute and calls every query and list-mode drop over RMI: proof that no tcpjmx class is needed
 * on a client, for results and for errors. The table it sees is confined to this test's sockets.
 */
class AClientWithoutTcpjmxClassesTest {

    @Test
    void aJdkOnlyClientReadsAndCallsEverything(@TempDir Path emptyDir) throws Exception {
        try (LoopbackConnections farm = new LoopbackConnections(TcpPlatforms.open())) {
            Pair p = farm.established(Flavor.IPV4);
            farm.closeWait(Flavor.IPV4);
            try (RemoteJmx jmx = new RemoteJmx(TcpJmxOptions.of(farm.confined()))) {
                String stack = (String) jmx.connection.getAttribute(TcpJmx.SETTINGS, "CongestionControl");
                Path source = Paths.get(getClass().getResource("/jmx-client/PlainJmxClient.java").toURI());
                Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
                ProcessBuilder pb = new ProcessBuilder(java.toString(), source.toString(), jmx.url.toString(), stack)
                        .directory(emptyDir.toFile()).redirectErrorStream(true);
                pb.environment().remove("CLASSPATH");
                pb.environment().remove("JDK_JAVA_OPTIONS");
                Process client = pb.start();
                String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(client.waitFor(60, TimeUnit.SECONDS), "client did not finish: " + out);
                assertEquals(0, client.exitValue(), out);

                List<String> lines = out.lines().toList();
                assertTrue(lines.contains("NO-TCPJMX-CLASSES"), out);
                assertTrue(out.contains("ATTR org.tcpjmx:type=Connections Connections rows=4 first=["), out);
                assertTrue(out.contains("ATTR org.tcpjmx:type=States Histogram {CLOSED=0;CLOSE_WAIT=1;"), out);
                assertTrue(out.contains("OP org.tcpjmx:type=Connections queryWithInfo[state established, 3] rows=2"), out);
                assertTrue(out.contains("OP org.tcpjmx:type=Drop dropAll[true] {commands=[tcpdrop "), out);
                assertTrue(out.contains("OP org.tcpjmx:type=Drop rebalance[state established, 1.0, 0, true] {commands=[tcpdrop "), out);
                assertTrue(out.contains(";id=;matched=2;"), "a rebalance listing is no job: " + out);
                assertTrue(out.contains("ATTR org.tcpjmx:type=Drop Jobs rows=0"), out);
                assertTrue(out.contains("tcpdrop " + p.clientTuple()), out);
                assertTrue(out.contains("ATTR org.tcpjmx:type=Statistics TcpActiveOpens java.lang.Long:"), out);
                assertTrue(out.contains("ATTR org.tcpjmx:type=Settings KeepIdle java.lang.Long:"), out);
                assertTrue(out.contains("BAD dropSpec java.lang.IllegalArgumentException: "), out);
                assertEquals(6, lines.stream().filter(l -> l.startsWith("OP org.tcpjmx:type=Drop ")).count(),
                        "the five list-mode drops and the rebalance listing: " + out);
                assertTrue(Files.list(emptyDir).findAny().isEmpty(), "the client ran from an empty directory");
            }
        }
    }
}
