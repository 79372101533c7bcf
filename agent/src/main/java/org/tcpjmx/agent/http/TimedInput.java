package org.tcpjmx.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A connection's input with a deadline: every read waits at most until then, however slowly the
 * client trickles bytes, so a slow client holds its connection for a bounded time only.
 */
final class TimedInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private long deadline;

    TimedInput(Socket socket, InputStream buffered) {
        this.socket = socket;
        this.in = buffered;
    }

    /** Reads from now on must be done within {@code millis}. */
    void deadlineIn(long millis) {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private void arm() throws IOException {
        if (in.available() > 0) {
            return;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("the client sent too slowly");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int read() throws IOException {
        arm();
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }
}
