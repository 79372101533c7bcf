package org.tcpjmx.agent.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request's body as its handler reads it: exactly {@code Content-Length} bytes or the chunks of
 * a chunked body, never more than the limit, and never a byte of the next request on the connection.
 */
abstract class RequestBody extends InputStream {
    /** A request whose body cannot be served. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    protected final InputStream in;
    protected final long limit;
    protected long read;
    private boolean closed;

    RequestBody(InputStream in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    /**
     * The body of a request with these headers.
     *
     * @throws RequestHead.Malformed when the framing headers are invalid or announce more than {@code limit}
     */
    static RequestBody of(RequestHead head, InputStream in, long limit) throws RequestHead.Malformed {
        String te = head.headers().getFirst("Transfer-Encoding");
        String cl = head.headers().getFirst("Content-Length");
        if (te != null) {
            if (cl != null || !te.trim().equalsIgnoreCase("chunked")) {
                // RFC 9112 6.1: both headers, or another coding, is a smuggling attempt or unservable.
                throw new RequestHead.Malformed(400, "Transfer-Encoding other than chunked, or with Content-Length, is not served");
            }
            return new Chunked(in, limit);
        }
        long length = 0;
        if (cl != null) {
            if (head.headers().get("Content-Length").size() > 1 || !cl.trim().matches("[0-9]{1,18}")) {
                throw new RequestHead.Malformed(400, "Content-Length is not one whole number");
            }
            length = Long.parseLong(cl.trim());
        }
        if (length > limit) {
            throw new RequestHead.Malformed(413, "the request body (" + length + " bytes) exceeds " + limit + " bytes");
        }
        return new Fixed(in, length, limit);
    }

    /** Reads what the handler left unread; false when the body could not be read to its end. */
    boolean drain() {
        byte[] skip = new byte[4096];
        try {
            while (read(skip, 0, skip.length) >= 0) {
                // Discards the rest.
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the request body is closed");
        }
        return readBody(b, off, len);
    }

    abstract int readBody(byte[] b, int off, int len) throws IOException;

    /** Closing leaves the rest to {@link #drain()}: the connection is not the handler's to close. */
    @Override
    public void close() {
        closed = true;
    }

    void reopenForDrain() {
        closed = false;
    }

    private static final class Fixed extends RequestBody {
        private final long length;

        Fixed(InputStream in, long length, long limit) {
            super(in, limit);
            this.length = length;
        }

        @Override
        int readBody(byte[] b, int off, int len) throws IOException {
            if (read >= length) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, length - read));
            if (n < 0) {
                throw new java.io.EOFException("the client closed the connection " + (length - read) + " bytes before the end of the body");
            }
            read += n;
            return n;
        }
    }

    private static final class Chunked extends RequestBody {
        private long chunkLeft;
        private boolean done;

        Chunked(InputStream in, long limit) {
            super(in, limit);
        }

        @Override
        int readBody(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                chunkLeft = chunkSize();
                if (chunkLeft == 0) {
                    // Trailer fields, then the empty line.
                    while (!line().isEmpty()) {
                        // Ignored.
                    }
                    done = true;
                    return -1;
                }
                if (read + chunkLeft > limit) {
                    throw new TooLarge("the chunked request body exceeds " + limit + " bytes");
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new java.io.EOFException("the client closed the connection inside a chunk");
            }
            chunkLeft -= n;
            read += n;
            if (chunkLeft == 0 && !line().isEmpty()) {
                throw new IOException("a chunk is not followed by CRLF");
            }
            return n;
        }

        private long chunkSize() throws IOException {
            String l = line();
            int semi = l.indexOf(';');
            String hex = (semi < 0 ? l : l.substring(0, semi)).trim();
            if (!hex.matches("[0-9a-fA-F]{1,15}")) {
                throw new IOException("'" + (hex.length() > 20 ? hex.substring(0, 20) : hex) + "' is not a chunk size");
            }
            return Long.parseLong(hex, 16);
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new java.io.EOFException("the client closed the connection inside a chunked body");
                }
                if (s.length() > RequestHead.MAX_LINE) {
                    throw new IOException("a chunk line is too long");
                }
                s.append((char) c);
            }
            int end = s.length() > 0 && s.charAt(s.length() - 1) == '\r' ? s.length() - 1 : s.length();
            return s.substring(0, end);
        }
    }
}
