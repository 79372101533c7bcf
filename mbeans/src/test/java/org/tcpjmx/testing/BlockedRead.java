package org.tcpjmx.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A read blocked on a socket in its own thread, the way a server thread waits for its client:
 * start it before cutting the connection, then ask how it ended.
 */
public final class BlockedRead {
    /** How a read ended: bytes read (-1 at end of stream) or the exception it threw. */
    public record Ending(int bytes, IOException error) {
        /** {@code "error: java.net.SocketException: Connection reset"} or {@code "read 1"}. */
        @Override
        public String toString() {
            return error != null ? "error: " + error : "read " + bytes;
        }
    }

    private final CompletableFuture<Ending> ending = new CompletableFuture<>();

    private BlockedRead() {
    }

    /** Starts a one-byte blocking read on {@code channel} in a daemon thread. */
    public static BlockedRead start(SocketChannel channel) {
        BlockedRead r = new BlockedRead();
        Thread t = new Thread(() -> {
            try {
                r.ending.complete(new Ending(channel.read(ByteBuffer.allocate(1)), null));
            } catch (IOException e) {
                r.ending.complete(new Ending(0, e));
            } catch (RuntimeException e) {
                r.ending.completeExceptionally(e);
            }
        }, "blocked-read-" + channel);
        t.setDaemon(true);
        t.start();
        return r;
    }

    /** How the read ended; fails the test when it has not ended within {@code timeout}. */
    public Ending await(Duration timeout) {
        try {
            return ending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the read was still blocked after " + timeout);
        } catch (ExecutionException e) {
            throw new AssertionError("the read failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Whether the read has ended (without waiting). */
    public boolean ended() {
        return ending.isDone();
    }
}
