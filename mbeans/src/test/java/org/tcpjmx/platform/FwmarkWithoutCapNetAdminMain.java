package org.tcpjmx.platform;

import org.tcpjmx.filter.FilterParser;

/** Run as nobody without capabilities by {@link FwmarkWithoutCapNetAdminTest}: queries with fwmark, prints the answer. */
public final class FwmarkWithoutCapNetAdminMain {
    private FwmarkWithoutCapNetAdminMain() {
    }

    public static void main(String[] args) {
        TcpPlatform p = TcpPlatforms.open("netlink");
        for (String f : new String[] {"fwmark 0", "fwmark 0x1/0x1 or owned", "sport = :1"}) {
            try {
                System.out.println("ROWS " + p.connections(FilterParser.parse(f), false).size() + " " + f);
            } catch (IllegalArgumentException e) {
                System.out.println("REFUSED " + f + " | " + e.getMessage());
            }
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
