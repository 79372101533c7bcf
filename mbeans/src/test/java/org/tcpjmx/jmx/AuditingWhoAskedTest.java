package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpjmx.drop.TcpDropper;
import org.tcpjmx.model.Requester;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * "Every audit line says who asked": a real drop over JMX/RMI is audited as {@code by jmx-rmi from
 * ADDRESS}, one through an in-process MBean server as the in-process requester, and one a surface
 * wraps in {@link CurrentRequester#callAs} as that surface's requester.
 */
class AuditingWhoAskedTest {
    private static final String[] FOUR = {"java.lang.String", "java.lang.Integer", "java.lang.String", "java.lang.Integer"};

    private final List<String> audit = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel() == Level.INFO) {
                synchronized (audit) {
                    audit.add(r.getMessage().contains("{}") && r.getParameters() != null
                            ? String.valueOf(r.getParameters()[0]) : r.getMessage());
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger jul = Logger.getLogger(TcpDropper.class.getName());
    private LoopbackConnections farm;

    @BeforeEach
    void listen() {
        jul.addHandler(capture);
        farm = new LoopbackConnections(TcpPlatforms.open());
    }

    @AfterEach
    void stopListening() {
        jul.removeHandler(capture);
        farm.close();
    }

    @Test
    void aDropOverJmxRmiIsAuditedAsTheRmiClient() throws Exception {
        Pair p = farm.established(Flavor.IPV4);
        try (RemoteJmx jmx = new RemoteJmx(TcpJmxOptions.of(farm.confined()))) {
            CompositeData report = (CompositeData) jmx.connection.invoke(TcpJmx.DROP, "drop",
                    new Object[] {"127.0.0.1", p.clientPort(), "127.0.0.1", p.listenerPort()}, FOUR);
            assertEquals(1, report.get("dropped"), report.toString());
        }
        String line = auditLineOf(p.clientTuple());
        assertTrue(line.endsWith("DROPPED (dropped) by jmx-rmi from 127.0.0.1"), line);
    }

    @Test
    void aDropInProcessIsAuditedAsTheInProcessCallerAndASurfaceAsItself() throws Exception {
        Pair direct = farm.established(Flavor.IPV4);
        Pair viaSurface = farm.established(Flavor.IPV6);
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (TcpJmx.Registration r = TcpJmx.register(server, TcpJmxOptions.of(farm.confined()))) {
            server.invoke(TcpJmx.DROP, "drop",
                    new Object[] {"127.0.0.1", direct.clientPort(), "127.0.0.1", direct.listenerPort()}, FOUR);
            Requester cli = new Requester("cli", "local user=test");
            CurrentRequester.callAs(cli, () -> {
                try {
                    return server.invoke(TcpJmx.DROP, "dropSpec", new Object[] {String.join(" ", viaSurface.clientArgs())},
                            new String[] {"java.lang.String"});
                } catch (javax.management.JMException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        assertTrue(auditLineOf(direct.clientTuple()).endsWith(" by " + Requester.IN_PROCESS.describe()),
                auditLineOf(direct.clientTuple()));
        assertTrue(auditLineOf(viaSurface.clientTuple()).endsWith(" by cli local user=test"), auditLineOf(viaSurface.clientTuple()));
    }

    private String auditLineOf(String tuple) {
        synchronized (audit) {
            for (String record : audit) {
                for (String line : record.split("\n")) {
                    if (line.startsWith("tcpdrop " + tuple + " [")) {
                        return line;
                    }
                }
            }
        }
        throw new AssertionError("no audit line for " + tuple + " in " + audit);
    }
}
