package org.tcpjmx.originapp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.function.BiConsumer;

/**
 * Connects as an application would and hands the socket to the origin hook's recorder the way the
 * JDK's rewritten {@code Socket.connect} does, from outside the agent's packages (whose frames
 * origin tracking skips): each socket's origin is the line of {@code connect} that records it.
 */
public final class HookCaller {
    /** The frame each recorded socket's origin names. */
    public static final String ORIGIN_PREFIX = HookCaller.class.getName() + ".connect(HookCaller.java:";

    private HookCaller() {
    }

    /** Connects from an ephemeral loopback port to {@code to} and records the socket. */
    public static Socket connect(BiConsumer<Object, Object> recorder, SocketAddress to) throws IOException {
        return connect(recorder, 0, to);
    }

    /**
     * Connects from loopback port {@code localPort} (0: any) to {@code to}, with SO_REUSEADDR and an
     * RST on close (no TIME_WAIT), so the same 4-tuple can be connected again at once; records it.
     */
    public static Socket connect(BiConsumer<Object, Object> recorder, int localPort, SocketAddress to) throws IOException {
        Socket s = new Socket();
        try {
            s.setReuseAddress(true);
            s.setSoLinger(true, 0);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort));
            s.connect(to);
            recorder.accept(s, null);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
