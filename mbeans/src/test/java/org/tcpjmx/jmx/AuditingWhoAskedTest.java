package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpjmx.model.Requester;
import org.tcpjmx.testing.AuditLogCapture;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;
import org.tcpjmx.testing.LoopbackFarmExtension;

/**
 * "Every audit line says who asked": a real drop over JMX/RMI is audited as {@code by jmx-rmi from
 * ADDRESS}, one through an in-process MBean server as the in-process requester, and one a surface
 * wraps in {@link CurrentRequester#callAs} as that surface's requester.
 */
@ExtendWith(LoopbackFarmExtension.class)
class AuditingWhoAskedTest {
    private static final String[] FOUR = {"java.lang.String", "java.lang.Integer", "java.lang.String", "java.lang.Integer"};

    private LoopbackConnections farm;
    private AuditLogCapture audit;

    @BeforeEach
    void listen(LoopbackConnections farm, AuditLogCapture audit) {
        this.farm = farm;
        this.audit = audit;
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
        return audit.lineOf(tuple);
    }
}
