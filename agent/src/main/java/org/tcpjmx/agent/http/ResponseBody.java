package org.tcpjmx.agent.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A response's body as its handler writes it: exactly the announced length, as chunks, or (for an
 * HTTP/1.0 client of unknown length) until the connection closes. Closing it ends the response
 * and sends it: headers and a small body leave together, in one segment.
 */
abstract class ResponseBody extends OutputStream {
    protected final OutputStream out;
    private boolean closed;

    ResponseBody(OutputStream out) {
        this.out = out;
    }

    static ResponseBody fixed(OutputStream out, long length) {
        return new Fixed(out, length);
    }

    static ResponseBody chunked(OutputStream out) {
        return new Chunked(out);
    }

    static ResponseBody untilClose(OutputStream out) {
        return new UntilClose(out);
    }

    /** The body of an answer to HEAD: announced in the headers, never sent. */
    static ResponseBody discarded(OutputStream out) {
        return new Discarded(out);
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether everything announced was written (the connection can carry another request). */
    abstract boolean complete();

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the response body is closed");
        }
        if (len > 0) {
            writeBody(b, off, len);
        }
    }

    abstract void writeBody(byte[] b, int off, int len) throws IOException;

    abstract void end() throws IOException;

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            end();
            out.flush();
        }
    }

    private static final class Fixed extends ResponseBody {
        private long left;

        Fixed(OutputStream out, long length) {
            super(out);
            this.left = length;
        }

        @Override
        void writeBody(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                throw new IOException("the handler wrote more than the Content-Length it announced");
            }
            out.write(b, off, len);
            left -= len;
        }

        @Override
        void end() {
            // Nothing follows a fixed-length body.
        }

        @Override
        boolean complete() {
            return left == 0;
        }
    }

    private static final class Chunked extends ResponseBody {
        private static final byte[] CRLF = {'\r', '\n'};
        private static final byte[] LAST = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        /** Chunks of up to this size: the handler's many small writes do not become many chunks. */
        private final byte[] buffer = new byte[8192];
        private int filled;
        private boolean ended;

        Chunked(OutputStream out) {
            super(out);
        }

        @Override
        void writeBody(byte[] b, int off, int len) throws IOException {
            int o = off;
            int l = len;
            while (l > 0) {
                int n = Math.min(l, buffer.length - filled);
                System.arraycopy(b, o, buffer, filled, n);
                filled += n;
                o += n;
                l -= n;
                if (filled == buffer.length) {
                    chunk();
                }
            }
        }

        private void chunk() throws IOException {
            if (filled > 0) {
                out.write(Integer.toHexString(filled).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                out.write(buffer, 0, filled);
                out.write(CRLF);
                filled = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            chunk();
            super.flush();
        }

        @Override
        void end() throws IOException {
            chunk();
            out.write(LAST);
            ended = true;
        }

        @Override
        boolean complete() {
            return ended;
        }
    }

    private static final class Discarded extends ResponseBody {
        Discarded(OutputStream out) {
            super(out);
        }

        @Override
        void writeBody(byte[] b, int off, int len) {
            // HEAD: the headers say what a GET would send; nothing follows them.
        }

        @Override
        void end() {
            // Nothing to end.
        }

        @Override
        boolean complete() {
            return true;
        }
    }

    private static final class UntilClose extends ResponseBody {
        UntilClose(OutputStream out) {
            super(out);
        }

        @Override
        void writeBody(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        void end() {
            // The connection's close ends the body.
        }

        @Override
        boolean complete() {
            // The connection must close for the client to see the end.
            return false;
        }
    }
}
