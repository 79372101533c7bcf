package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.model.SocketOwner;
import org.tcpjmx.model.TcpConnection;

/** The owning process of a socket, found on request by scanning /proc/PID/fd as ss -p does. */
class SocketOwnersTest {
    @Test
    void ourListenerIsOwnedByThisProcessAndAnotherProcessesSocketIsNot() throws Exception {
        TcpPlatform p = TcpPlatforms.open();
        Process nc = null;
        try (ServerSocket l = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            // Another process's listener (python3 is on every machine of this kind).
            nc = new ProcessBuilder("python3", "-c",
                    "import socket,sys,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen()\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)")
                    .start();
            int otherPort = Integer.parseInt(new java.io.BufferedReader(new java.io.InputStreamReader(nc.getInputStream())).readLine().trim());
            List<TcpConnection> rows = p.connections(FilterParser.parse("state listening and ( src 127.0.0.1:" + l.getLocalPort()
                    + " or src 127.0.0.1:" + otherPort + " )"), false);
            assertEquals(2, rows.size(), rows.toString());
            Map<Long, SocketOwner> owners = p.socketOwners();
            for (TcpConnection r : rows) {
                SocketOwner o = owners.get(r.inode());
                if (r.local().port() == l.getLocalPort()) {
                    assertTrue(r.owned());
                    assertEquals(ProcessHandle.current().pid(), o.pid());
                    assertEquals("java", o.command());
                } else {
                    assertFalse(r.owned());
                    assertEquals(nc.pid(), o.pid());
                    assertTrue(o.command().startsWith("python"), o.command());
                }
            }
        } finally {
            if (nc != null) {
                nc.destroyForcibly();
            }
        }
    }
}
