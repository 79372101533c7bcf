package org.tcpjmx.linux;

import static org.tcpjmx.linux.LinuxConstants.AF_NETLINK;
import static org.tcpjmx.linux.LinuxConstants.MSG_TRUNC;
import static org.tcpjmx.linux.LinuxConstants.NETLINK_SOCK_DIAG;
import static org.tcpjmx.linux.LinuxConstants.SOCK_CLOEXEC;
import static org.tcpjmx.linux.LinuxConstants.SOCK_RAW;
import static org.tcpjmx.linux.LinuxConstants.SOL_SOCKET;
import static org.tcpjmx.linux.LinuxConstants.SO_RCVTIMEO;
import static org.tcpjmx.linux.LinuxConstants.SO_SNDTIMEO;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code NETLINK_SOCK_DIAG} socket: send a request, receive answers datagram by datagram.
 * Not thread-safe; open one per operation (a socket costs microseconds).
 */
final class NetlinkSocket implements AutoCloseable {
    /**
     * The kernel caps one dump datagram at 32 KiB ({@code netlink_dump}); twice that leaves room,
     * and MSG_TRUNC tells if it ever does not.
     */
    static final int RECEIVE_BUFFER = 64 * 1024;
    private static final AtomicInteger SEQUENCE = new AtomicInteger((int) (System.nanoTime() & 0x3fffffff));
    /** A kernel that never answers must not hang a JMX call forever. */
    private static final int TIMEOUT_SECONDS = 10;

    private final int fd;
    private final Memory buffer;
    private final ByteBuffer view;
    private Memory sendBuffer;
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
        this.buffer = new Memory(RECEIVE_BUFFER);
        this.view = buffer.getByteBuffer(0, RECEIVE_BUFFER).order(ByteOrder.nativeOrder());
    }

    /**
     * Opens a sock_diag socket.
     *
     * @throws NetlinkException when the kernel refuses (no netlink, no sock_diag, seccomp, ...)
     */
    static NetlinkSocket open() {
        int fd = LibC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        if (fd < 0) {
            throw new NetlinkException("socket(AF_NETLINK, NETLINK_SOCK_DIAG)", Native.getLastError());
        }
        NetlinkSocket s = new NetlinkSocket(fd);
        try (Memory tv = new Memory(16)) {
            tv.setLong(0, TIMEOUT_SECONDS);
            tv.setLong(8, 0);
            LibC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            LibC.setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, tv, 16);
        }
        return s;
    }

    /** A fresh sequence number for a request. */
    static int nextSequence() {
        return SEQUENCE.incrementAndGet() & 0x7fffffff;
    }

    /** Sends one complete netlink message to the kernel. */
    void send(ByteBuffer message) {
        int len = message.remaining();
        byte[] bytes = new byte[len];
        message.duplicate().get(bytes);
        // A kept socket sends many small requests: reuse its native buffer, copied in one call.
        if (sendBuffer == null || sendBuffer.size() < len) {
            if (sendBuffer != null) {
                sendBuffer.close();
            }
            sendBuffer = new Memory(Math.max(len, 256));
        }
        sendBuffer.write(0, bytes, 0, len);
        while (true) {
            long n = LibC.send(fd, sendBuffer, len, 0);
            if (n == len) {
                return;
            }
            int errno = Native.getLastError();
            if (n < 0 && errno == Errno.EINTR) {
                continue;
            }
            throw n < 0 ? new NetlinkException("send to NETLINK_SOCK_DIAG", errno)
                    : new MalformedNetlinkException("short send: " + n + " of " + len + " bytes");
        }
    }

    /**
     * Receives one datagram. The returned buffer (native byte order, position 0, limit the datagram
     * length) is valid until the next call.
     */
    ByteBuffer receive() {
        while (true) {
            long n = LibC.recv(fd, buffer, RECEIVE_BUFFER, MSG_TRUNC);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EAGAIN) {
                    throw new NetlinkException("no answer from NETLINK_SOCK_DIAG within " + TIMEOUT_SECONDS + " s", errno);
                }
                throw new NetlinkException("recv from NETLINK_SOCK_DIAG", errno);
            }
            if (n > RECEIVE_BUFFER) {
                throw new MalformedNetlinkException("datagram of " + n + " bytes exceeds the " + RECEIVE_BUFFER + "-byte buffer");
            }
            view.clear();
            view.limit((int) n);
            return view;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
            buffer.close();
            if (sendBuffer != null) {
                sendBuffer.close();
            }
        }
    }
}
