package org.tcpjmx.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** One end of a TCP connection: a numeric address (4 or 16 bytes, IPv4-mapped kept as such) and a port. */
public final class Endpoint {
    private final byte[] address;
    private final int port;
    private String text;

    /**
     * @param address 4 or 16 bytes, copied
     * @param port 0 to 65535
     */
    public Endpoint(byte[] address, int port) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
        this.address = address.clone();
        this.port = port;
    }

    private Endpoint(byte[] sharedAddress, int port, String text) {
        this.address = sharedAddress;
        this.port = port;
        this.text = text;
    }

    /**
     * The same address with another port. The address bytes (never mutated, never handed out) and
     * their formatted text are shared, so a table whose rows repeat a few addresses does not copy
     * and format them once per row.
     */
    public Endpoint withPort(int otherPort) {
        if (otherPort == port) {
            return this;
        }
        if (otherPort < 0 || otherPort > 65535) {
            throw new IllegalArgumentException("port " + otherPort + " is out of range 0-65535");
        }
        return new Endpoint(address, otherPort, text);
    }

    /** Parses a numeric address ({@link IpAddresses#parseNumeric}) and takes a port. */
    public static Endpoint of(String numericAddress, int port) {
        return new Endpoint(IpAddresses.parseNumeric(numericAddress), port);
    }

    /** The raw address, network byte order (a copy). */
    public byte[] address() {
        return address.clone();
    }

    /** The length of the raw address, without copying it. */
    public int addressLength() {
        return address.length;
    }

    /** The raw address byte {@code i}, without copying the address. */
    public byte addressByte(int i) {
        return address[i];
    }

    public int port() {
        return port;
    }

    /** The address as {@code ss -n} prints it. */
    public String addressText() {
        String t = text;
        if (t == null) {
            t = IpAddresses.format(address);
            text = t;
        }
        return t;
    }

    /** Whether the address is the wildcard ({@code 0.0.0.0} or {@code ::}). */
    public boolean isWildcard() {
        for (byte b : address) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether this is an IPv4-mapped IPv6 address. */
    public boolean isV4Mapped() {
        return IpAddresses.isV4Mapped(address);
    }

    /** The address as an {@link InetAddress} (an IPv4-mapped address becomes IPv4, as Java does). */
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unreachable: length was checked", e);
        }
    }

    /** {@code a.b.c.d:port} or {@code [v6]:port}, as ss prints it. */
    @Override
    public String toString() {
        return address.length == 16 ? "[" + addressText() + "]:" + port : addressText() + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint && ((Endpoint) o).port == port && Arrays.equals(((Endpoint) o).address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + port;
    }
}
