package org.tcpjmx.drop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.IpAddresses;

/**
 * A {@link ConnectionSpec} with its ports parsed and its addresses resolved: every pair of a local
 * and a foreign address of the same family, any of which may name the connection. IPv4-mapped
 * addresses are made IPv4, so that each pair matches both the AF_INET and the mapped AF_INET6 socket.
 *
 * @param localPort 1-65535
 * @param foreignPort 1-65535
 * @param pairs at least one
 * @param givenTuple the connection as the user gave it, numerically ({@code ::ffff:127.0.0.1} stays
 *     mapped): {@code LADDR LPORT FADDR FPORT} of the first resolved addresses
 */
public record ResolvedConnection(int localPort, int foreignPort, List<AddressPair> pairs, String givenTuple) {
    /** A local and a foreign address of the same family (4 or 16 bytes each). */
    public record AddressPair(byte[] local, byte[] foreign) {
    }

    public ResolvedConnection {
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("a resolved connection has at least one address pair");
        }
    }

    /**
     * Parses the ports and resolves the addresses of a connection given as tcpdrop's four arguments;
     * a missing (null) one is reported by name.
     *
     * @throws IllegalArgumentException naming a malformed port or address, or addresses with no pair of
     *     the same family
     * @throws AddressResolutionException when a host name does not resolve in time
     */
    static ResolvedConnection resolve(String localAddress, String localPort, String foreignAddress, String foreignPort,
                                      HostResolver resolver) {
        int lport = TcpPorts.parse("local port", localPort);
        int fport = TcpPorts.parse("foreign port", foreignPort);
        List<byte[]> givenLocals = resolver.resolve("local address", localAddress);
        List<byte[]> givenForeigns = resolver.resolve("foreign address", foreignAddress);
        List<AddressPair> pairs = new ArrayList<>();
        for (byte[] l : unmapped(givenLocals)) {
            for (byte[] f : unmapped(givenForeigns)) {
                if (l.length == f.length) {
                    pairs.add(new AddressPair(l, f));
                }
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("local address '" + localAddress + "' and foreign address '"
                    + foreignAddress + "' have no pair of addresses of the same family (IPv4 with IPv4, IPv6 with IPv6)");
        }
        String given = IpAddresses.format(givenLocals.get(0)) + " " + lport + " "
                + IpAddresses.format(givenForeigns.get(0)) + " " + fport;
        return new ResolvedConnection(lport, fport, pairs, given);
    }

    /** One 4-tuple filter per address pair. */
    public List<Filter> filters() {
        List<Filter> out = new ArrayList<>(pairs.size());
        for (AddressPair p : pairs) {
            out.add(new Filter.And(
                    new Filter.Host(Filter.Side.SOURCE, p.local(), p.local().length * 8, localPort),
                    new Filter.Host(Filter.Side.DESTINATION, p.foreign(), p.foreign().length * 8, foreignPort)));
        }
        return out;
    }

    /** An IPv4-mapped address becomes IPv4: the filter then matches both the AF_INET and the mapped AF_INET6 socket. */
    private static List<byte[]> unmapped(List<byte[]> addresses) {
        List<byte[]> out = new ArrayList<>(addresses.size());
        for (byte[] a : addresses) {
            out.add(IpAddresses.isV4Mapped(a) ? Arrays.copyOfRange(a, 12, 16) : a);
        }
        return out;
    }
}
