package org.tcpjmx.model;

/** The address family of a TCP socket. An IPv4-mapped IPv6 socket ({@code ::ffff:a.b.c.d}) is {@link #INET6}. */
public enum IpFamily {
    INET4(4, "tcp4"),
    INET6(16, "tcp6");

    private final int addressLength;
    private final String netstatName;

    IpFamily(int addressLength, String netstatName) {
        this.addressLength = addressLength;
        this.netstatName = netstatName;
    }

    /** Bytes in an address of this family. */
    public int addressLength() {
        return addressLength;
    }

    /** The protocol column of netstat and sockstat ({@code tcp4}, {@code tcp6}). */
    public String netstatName() {
        return netstatName;
    }
}
