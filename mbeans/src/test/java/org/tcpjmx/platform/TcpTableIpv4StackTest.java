package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.IpFamily;

/**
 * The state check over real AF_INET sockets. Runs in its own surefire execution with
 * {@code -Djava.net.preferIPv4Stack=true}, since a default JVM opens dual-stack IPv6 sockets.
 */
class TcpTableIpv4StackTest {
    @Test
    void ipv4SocketsAppearInEveryStateWithTheirAddressesPortsAndOwner() throws Exception {
        assumeTrue(Boolean.getBoolean("java.net.preferIPv4Stack"), "needs -Djava.net.preferIPv4Stack=true (the ipv4-stack surefire execution)");
        TcpTableStatesTest.checkAllStates(InetAddress.getByName("127.0.0.1"), "127.0.0.1", IpFamily.INET4);
    }
}
