package org.tcpjmx.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Numeric IP addresses as raw bytes: formatting the way {@code ss} prints them and parsing without
 * ever touching DNS. {@link InetAddress} folds {@code ::ffff:a.b.c.d} into an IPv4 address, which
 * would lose the family of the socket; these helpers keep it.
 */
public final class IpAddresses {
    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private IpAddresses() {
    }

    /** Whether a 16-byte address is IPv4-mapped ({@code ::ffff:a.b.c.d}). */
    public static boolean isV4Mapped(byte[] a) {
        return a.length == 16 && Arrays.equals(a, 0, 12, V4_MAPPED_PREFIX, 0, 12);
    }

    /** The IPv4-mapped IPv6 form of a 4-byte address. */
    public static byte[] toV4Mapped(byte[] v4) {
        if (v4.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + v4.length + " bytes");
        }
        byte[] m = Arrays.copyOf(V4_MAPPED_PREFIX, 16);
        System.arraycopy(v4, 0, m, 12, 4);
        return m;
    }

    /**
     * Formats an address as {@code ss -n} does: dotted quad for IPv4, RFC 5952 for IPv6, and
     * {@code ::ffff:a.b.c.d} for IPv4-mapped.
     */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + a.length);
        }
        if (isV4Mapped(a)) {
            return "::ffff:" + format(Arrays.copyOfRange(a, 12, 16));
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        // RFC 5952: compress the longest run (first if tied) of two or more zero groups.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /**
     * Parses a numeric IPv4 or IPv6 address (brackets allowed around IPv6), keeping an IPv4-mapped
     * IPv6 address 16 bytes long.
     *
     * @throws IllegalArgumentException naming the text when it is not a numeric address
     */
    public static byte[] parseNumeric(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("missing IP address");
        }
        String t = text;
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.indexOf(':') < 0) {
            byte[] v4 = parseDottedQuad(t);
            if (v4 == null) {
                throw new IllegalArgumentException("'" + text + "' is not a numeric IPv4 address (four numbers 0-255)");
            }
            return v4;
        }
        if (t.indexOf('%') >= 0 || !t.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric IPv6 address");
        }
        try {
            // A literal with ':' is parsed without any name lookup.
            InetAddress a = InetAddress.getByName(t);
            if (a instanceof Inet4Address) {
                return toV4Mapped(a.getAddress());
            }
            if (a instanceof Inet6Address) {
                return a.getAddress();
            }
        } catch (UnknownHostException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("'" + text + "' is not a numeric IPv6 address");
    }

    /** Whether {@code text} looks like a numeric address (so it must not be resolved as a name). */
    public static boolean looksNumeric(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return t.indexOf(':') >= 0 || t.matches("[0-9.]+");
    }

    private static byte[] parseDottedQuad(String t) {
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }
}
