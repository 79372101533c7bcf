package org.tcpjmx.jmx;

import org.tcpjmx.model.Endpoint;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

/**
 * Where a socket stands in the paging order of {@code queryPage}: the kernel's socket cookie
 * (unsigned; unique, and fixed for the socket's life once the kernel has assigned it), then family,
 * local address and port, remote address and port, state and inode, which order the rows of the
 * /proc backend (no cookies there) and break any tie. The kernel's own dump order is a hash walk
 * and changes between dumps, so it cannot carry a cursor.
 *
 * <p>A cursor is the key of a page's last row as text, 8 fields separated by spaces:
 * {@code COOKIE FAMILY LADDR LPORT RADDR RPORT STATE INODE} (cookie -1 on /proc).
 */
record PageKey(long cookie, IpFamily family, Endpoint local, Endpoint remote, TcpState state, long inode)
        implements Comparable<PageKey> {

    static PageKey of(TcpConnection c) {
        return new PageKey(c.cookie(), c.family(), c.local(), c.remote(), c.state(), c.inode());
    }

    /**
     * Parses a cursor as {@link #cursor()} writes it.
     *
     * @throws IllegalArgumentException naming the cursor and its form
     */
    static PageKey parse(String cursor) {
        String[] f = cursor.trim().split(" ");
        try {
            if (f.length == 8) {
                return new PageKey(f[0].equals("-1") ? TcpConnection.NO_COOKIE : Long.parseUnsignedLong(f[0]),
                        IpFamily.valueOf(f[1]), Endpoint.of(f[2], Integer.parseInt(f[3])),
                        Endpoint.of(f[4], Integer.parseInt(f[5])), TcpState.valueOf(f[6]), Long.parseLong(f[7]));
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the message below: any bad field makes the same cursor error.
        }
        throw new IllegalArgumentException("after='" + cursor + "' is not a cursor: give '' for the first page, then the"
                + " 'next' of the page before (COOKIE FAMILY LADDR LPORT RADDR RPORT STATE INODE)");
    }

    /** This key as a cursor. */
    String cursor() {
        String c = cookie == TcpConnection.NO_COOKIE ? "-1" : Long.toUnsignedString(cookie);
        return String.join(" ", c, family.name(), local.addressText(), Integer.toString(local.port()),
                remote.addressText(), Integer.toString(remote.port()), state.name(), Long.toString(inode));
    }

    @Override
    public int compareTo(PageKey o) {
        int c = Long.compareUnsigned(cookie, o.cookie);
        if (c == 0) {
            c = family.compareTo(o.family);
        }
        if (c == 0) {
            c = compare(local, o.local);
        }
        if (c == 0) {
            c = compare(remote, o.remote);
        }
        if (c == 0) {
            c = state.compareTo(o.state);
        }
        return c != 0 ? c : Long.compare(inode, o.inode);
    }

    private static int compare(Endpoint a, Endpoint b) {
        int c = Integer.compare(a.addressLength(), b.addressLength());
        for (int i = 0; c == 0 && i < a.addressLength(); i++) {
            c = Integer.compare(a.addressByte(i) & 0xff, b.addressByte(i) & 0xff);
        }
        return c != 0 ? c : Integer.compare(a.port(), b.port());
    }
}
