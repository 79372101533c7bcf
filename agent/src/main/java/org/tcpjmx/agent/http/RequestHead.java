package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The request line and headers of one HTTP/1.x request, read with limits: a request line of at most
 * {@value #MAX_REQUEST_LINE} bytes (Jolokia's GET requests carry their arguments in the URL, and a
 * too-long argument is better named by the MBean than cut off here), a header line of at most
 * {@value #MAX_LINE} bytes, at most {@value #MAX_HEADERS} headers.
 *
 * @param method the method, as sent
 * @param uri the request target
 * @param protocol {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the request headers
 */
record RequestHead(String method, URI uri, String protocol, Headers headers) {
    static final int MAX_LINE = 8192;
    static final int MAX_REQUEST_LINE = 128 * 1024;
    static final int MAX_HEADERS = 100;

    /** A request this server cannot read; answered with {@code status} and the connection closed. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Malformed(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Reads a head whose first byte was {@code first}.
     *
     * @throws Malformed when it is no HTTP/1.x request this server serves
     */
    static RequestHead read(int first, InputStream in) throws IOException, Malformed {
        String line = line(first, in, MAX_REQUEST_LINE);
        // RFC 9112 2.2: a server should ignore at least one empty line before the request line.
        if (line.isEmpty()) {
            line = line(in.read(), in, MAX_REQUEST_LINE);
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[0].chars().allMatch(c -> c > 32 && c < 127)) {
            throw new Malformed(400, "the request line is not METHOD TARGET HTTP/1.1");
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new Malformed(505, "only HTTP/1.1 and HTTP/1.0 are served");
        }
        URI uri;
        try {
            uri = new URI(parts[1]);
        } catch (URISyntaxException e) {
            throw new Malformed(400, "the request target is not a valid URI");
        }
        Headers headers = new Headers();
        for (int n = 0;; n++) {
            String h = line(in.read(), in, MAX_LINE);
            if (h.isEmpty()) {
                break;
            }
            if (n == MAX_HEADERS) {
                throw new Malformed(431, "more than " + MAX_HEADERS + " headers");
            }
            int colon = h.indexOf(':');
            if (colon <= 0 || h.charAt(0) == ' ' || h.charAt(0) == '\t' || h.substring(0, colon).contains(" ")) {
                throw new Malformed(400, "a header line is not NAME: VALUE");
            }
            headers.add(h.substring(0, colon), h.substring(colon + 1).trim());
        }
        return new RequestHead(parts[0], uri, parts[2], headers);
    }

    /** Whether the client asks the connection to stay open after this request. */
    boolean keepAlive() {
        String c = headers.getFirst("Connection");
        String v = c == null ? "" : c.toLowerCase(Locale.ROOT);
        return protocol.equals("HTTP/1.1") ? !v.contains("close") : v.contains("keep-alive");
    }

    private static String line(int first, InputStream in, int max) throws IOException, Malformed {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c = first;
        while (true) {
            if (c < 0) {
                throw new java.io.EOFException("the client closed the connection inside a request head");
            }
            if (c == '\n') {
                break;
            }
            if (b.size() == max) {
                throw new Malformed(max == MAX_LINE ? 431 : 414, (max == MAX_LINE ? "a header line" : "the request line")
                        + " is longer than " + max + " bytes");
            }
            b.write(c);
            c = in.read();
        }
        byte[] bytes = b.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
}
