package org.tcpjmx.agent.origins;

import java.util.List;

/**
 * A JDK method origin tracking rewrites: where a TCP socket comes into being for the application.
 *
 * @param owner the class, internal name ({@code java/net/Socket})
 * @param name the method's name
 * @param descriptorPrefix the start of its descriptor (the argument list may vary between JDKs)
 * @param passResult whether the method is an accept: the hook gets its result (the accepted socket) and {@code this} (the server)
 */
record HookedMethod(String owner, String name, String descriptorPrefix, boolean passResult) {
    /**
     * What the JDK's HttpClient, HttpURLConnection, Jetty, Tomcat NIO, Netty's NIO transport and JDBC
     * drivers end in. {@code java.net.Socket} on JDK 13+ runs on NioSocketImpl, not on
     * SocketChannelImpl, so no socket passes two of these.
     */
    static final List<HookedMethod> ALL = List.of(
            new HookedMethod("java/net/Socket", "connect", "(Ljava/net/SocketAddress;I)V", false),
            new HookedMethod("java/net/ServerSocket", "accept", "()Ljava/net/Socket;", true),
            new HookedMethod("sun/nio/ch/SocketChannelImpl", "connect", "(Ljava/net/SocketAddress;)Z", false),
            new HookedMethod("sun/nio/ch/SocketChannelImpl", "finishConnect", "()Z", false),
            new HookedMethod("sun/nio/ch/ServerSocketChannelImpl", "accept", "()Ljava/nio/channels/SocketChannel;", true),
            // Asynchronous channels: a connect done at once returns from implConnect, a pending one
            // from finishConnect; an accept from finishAccept (its arguments differ between JDKs).
            new HookedMethod("sun/nio/ch/UnixAsynchronousSocketChannelImpl", "implConnect", "(", false),
            new HookedMethod("sun/nio/ch/UnixAsynchronousSocketChannelImpl", "finishConnect", "(Z)V", false),
            new HookedMethod("sun/nio/ch/UnixAsynchronousServerSocketChannelImpl", "finishAccept", "(", true));

    /** The binary names of the classes to retransform. */
    static List<String> classNames() {
        return ALL.stream().map(m -> m.owner().replace('/', '.')).distinct().toList();
    }

    boolean matches(String methodName, String descriptor) {
        if (!name.equals(methodName) || !descriptor.startsWith(descriptorPrefix)) {
            return false;
        }
        // finishAccept must return the accepted channel; implConnect's result is not needed.
        return !passResult || descriptor.endsWith(";");
    }
}
