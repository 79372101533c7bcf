package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.Endpoint;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.SocketTimer;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

class ManagementConnectionsTest {
    private static final String JMX_PORT = ManagementConnections.JMX_PORT_PROPERTIES.get(0);

    @AfterEach
    void noJmxPort() {
        System.clearProperty(JMX_PORT);
    }

    static TcpConnection row(String local, int localPort, String remote, int remotePort, TcpState state) {
        return new TcpConnection(IpFamily.INET4, Endpoint.of(local, localPort), Endpoint.of(remote, remotePort), state, 0, 0, 0, 1, 0,
                42, SocketTimer.OFF, 0, 0, false, "cubic", Optional.empty(), Backend.NETLINK);
    }

    @Test
    void bothEndsOfConnectionsToTheAgentsListenerAreProtectedNotItsListenerNorOtherPorts() throws Exception {
        ManagementConnections m = new ManagementConnections();
        m.addListener(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8778));
        assertTrue(m.test(row("127.0.0.1", 8778, "127.0.0.1", 50000, TcpState.ESTABLISHED)));
        assertTrue(m.test(row("127.0.0.1", 8778, "127.0.0.1", 50000, TcpState.CLOSE_WAIT)));
        assertFalse(m.test(row("127.0.0.1", 8778, "0.0.0.0", 0, TcpState.LISTEN)), "listeners are never dropped anyway");
        assertFalse(m.test(row("10.0.0.5", 8778, "10.0.0.9", 50000, TcpState.ESTABLISHED)), "another address's port 8778 is not ours");
        assertTrue(m.test(row("127.0.0.1", 50000, "127.0.0.1", 8778, TcpState.ESTABLISHED)), "the client end, in any process of the host");
        assertTrue(m.test(row("127.0.0.1", 50000, "127.0.0.1", 8778, TcpState.CLOSE_WAIT)));
        assertFalse(m.test(row("127.0.0.1", 50000, "127.0.0.2", 8778, TcpState.ESTABLISHED)), "another address's port 8778 is not ours");
        assertFalse(m.test(row("10.0.0.5", 50000, "10.0.0.9", 8778, TcpState.ESTABLISHED)), "a client of another host's 8778");
        assertFalse(m.test(row("127.0.0.1", 50000, "127.0.0.1", 8779, TcpState.ESTABLISHED)));
        assertEquals(List.of("127.0.0.1:8778 (tcpjmx Jolokia)"), m.describe());
    }

    @Test
    void aWildcardListenerProtectsEveryAddress() throws Exception {
        ManagementConnections m = new ManagementConnections();
        m.addListener(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 9999));
        assertTrue(m.test(row("10.0.0.5", 9999, "10.0.0.9", 50000, TcpState.ESTABLISHED)));
        assertTrue(m.test(row("127.0.0.1", 50000, "127.0.0.1", 9999, TcpState.ESTABLISHED)), "a loopback client end");
        assertTrue(m.test(row("127.0.0.1", 50000, "127.0.0.53", 9999, TcpState.ESTABLISHED)), "all of 127/8 is this host");
        assertFalse(m.test(row("10.0.0.5", 50000, "192.0.2.1", 9999, TcpState.ESTABLISHED)), "192.0.2.1 (TEST-NET) is no address of this host");
    }

    @Test
    void aClientEndToAnAddressOfThisHostIsProtected() throws Exception {
        ManagementConnections m = new ManagementConnections();
        m.addListener(new InetSocketAddress(InetAddress.getByName("::"), 9999));
        for (java.net.NetworkInterface i : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : java.util.Collections.list(i.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address) {
                    String text = a.getHostAddress();
                    assertTrue(m.test(row(text, 50000, text, 9999, TcpState.ESTABLISHED)), text + " is this host's");
                }
            }
        }
    }

    @Test
    void theJvmsJmxRemotePortIsProtectedToo() {
        ManagementConnections m = new ManagementConnections();
        assertFalse(m.test(row("127.0.0.1", 9010, "127.0.0.1", 50000, TcpState.ESTABLISHED)));
        System.setProperty(JMX_PORT, "9010");
        assertTrue(m.test(row("127.0.0.1", 9010, "127.0.0.1", 50000, TcpState.ESTABLISHED)), "read when asked: JMX may start later");
        assertEquals(List.of("*:9010 (JMX remote)"), m.describe());
        assertTrue(m.test(row("127.0.0.1", 50000, "127.0.0.1", 9010, TcpState.ESTABLISHED)), "and a JMX client's end on this host");
        assertFalse(m.test(row("10.0.0.5", 50000, "192.0.2.1", 9010, TcpState.ESTABLISHED)), "not a client of another host's 9010");
        System.setProperty(JMX_PORT, "not-a-port");
        assertFalse(m.test(row("127.0.0.1", 9010, "127.0.0.1", 50000, TcpState.ESTABLISHED)));
    }
}
