package org.tcpjmx.drop;

import java.util.List;

/**
 * The connection a single drop names, as the user wrote it: tcpdrop(8)'s four arguments
 * {@code local-address local-port foreign-address foreign-port}, or its two-argument form where each
 * address and port are joined by a period or a colon ({@code 10.0.0.1.80}, {@code 10.0.0.1:80},
 * {@code ::1.80}, {@code [::1]:80}). Nothing is resolved or range-checked until {@link #resolve}.
 *
 * @param localAddress as given, never null
 * @param localPort as given, never null
 * @param foreignAddress as given, never null
 * @param foreignPort as given, never null
 */
public record ConnectionSpec(String localAddress, String localPort, String foreignAddress, String foreignPort) {
    public ConnectionSpec {
        if (localAddress == null || localPort == null || foreignAddress == null || foreignPort == null) {
            throw new IllegalArgumentException("a connection needs a local address, local port, foreign address and foreign port");
        }
    }

    /**
     * Parses one string holding the two- or four-argument form, separated by white space.
     *
     * @throws IllegalArgumentException for null, blank, or another number of words
     */
    public static ConnectionSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("missing connection; expected 'LADDR LPORT FADDR FPORT', "
                    + "'LADDR:LPORT FADDR:FPORT', 'LADDR.LPORT FADDR.FPORT' or '[V6]:PORT [V6]:PORT'");
        }
        return of(List.of(spec.trim().split("\\s+")));
    }

    /**
     * Takes tcpdrop's positional arguments: four, or two joined address-and-port words.
     *
     * @throws IllegalArgumentException for another number of arguments or a word without a port
     */
    public static ConnectionSpec of(List<String> args) {
        if (args.size() == 4) {
            return new ConnectionSpec(args.get(0), args.get(1), args.get(2), args.get(3));
        }
        if (args.size() == 2) {
            String[] local = splitAddressAndPort("local", args.get(0));
            String[] foreign = splitAddressAndPort("foreign", args.get(1));
            return new ConnectionSpec(local[0], local[1], foreign[0], foreign[1]);
        }
        throw new IllegalArgumentException("a connection is given by 4 arguments (LADDR LPORT FADDR FPORT) or 2 "
                + "(LADDR:LPORT FADDR:FPORT), not " + args.size() + ": " + args);
    }

    /**
     * Splits {@code ADDRESS.PORT} or {@code ADDRESS:PORT} at the last period or colon, as tcpdrop's
     * {@code findport()} does; {@code [V6]:PORT} keeps the colons of the bracketed address.
     */
    static String[] splitAddressAndPort(String side, String word) {
        if (word == null || word.isEmpty()) {
            throw new IllegalArgumentException("missing " + side + " address and port");
        }
        if (word.startsWith("[")) {
            int close = word.indexOf(']');
            if (close < 0 || close + 1 >= word.length() || (word.charAt(close + 1) != ':' && word.charAt(close + 1) != '.')) {
                throw new IllegalArgumentException(side + " '" + word + "': expected [V6-ADDRESS]:PORT");
            }
            return new String[] {word.substring(1, close), word.substring(close + 2)};
        }
        int at = Math.max(word.lastIndexOf('.'), word.lastIndexOf(':'));
        if (at <= 0) {
            throw new IllegalArgumentException(side + " '" + word
                    + "' has no port; expected ADDRESS:PORT, ADDRESS.PORT or [V6-ADDRESS]:PORT");
        }
        return new String[] {word.substring(0, at), word.substring(at + 1)};
    }

    /**
     * Parses the ports and resolves the addresses: numeric ones are never looked up, host names are
     * resolved with the resolver's deadline, and every pair of addresses of the same family is kept.
     *
     * @throws IllegalArgumentException naming a malformed port or address
     * @throws AddressResolutionException when a host name does not resolve in time
     */
    public ResolvedConnection resolve(HostResolver resolver) {
        return ResolvedConnection.resolve(localAddress, localPort, foreignAddress, foreignPort, resolver);
    }

    /** The four parts, space-separated, as the user gave them. */
    @Override
    public String toString() {
        return localAddress + " " + localPort + " " + foreignAddress + " " + foreignPort;
    }
}
