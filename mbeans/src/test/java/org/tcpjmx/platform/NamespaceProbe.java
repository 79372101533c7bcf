package org.tcpjmx.platform;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.tcpjmx.filter.Filter;

/**
 * Run inside a network namespace by {@link NetworkNamespaceTest}: makes a connection, then prints
 * the table as this process sees it ({@code ROW ...}) and the backend ({@code BACKEND ...}).
 */
public final class NamespaceProbe {
    private NamespaceProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket l = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
             Socket c = new Socket("127.0.0.1", l.getLocalPort());
             Socket s = l.accept()) {
            TcpPlatform p = TcpPlatforms.open();
            System.out.println("BACKEND " + p.backend());
            System.out.println("LISTENER " + l.getLocalPort());
            // Only this probe's port: on a busy host the full table would be thousands of lines.
            int port = l.getLocalPort();
            Filter mine = org.tcpjmx.filter.FilterParser.parse("src 127.0.0.1:" + port + " or dst 127.0.0.1:" + port);
            System.out.println("TOTAL " + p.histogram(Filter.ALL).total());
            for (var row : p.connections(mine, false)) {
                System.out.println("ROW " + row.state() + " " + row.local() + " " + row.remote() + " owned=" + row.owned());
            }
            System.out.println("HISTOGRAM " + p.histogram(mine).total());
            System.out.flush();
        }
    }
}
