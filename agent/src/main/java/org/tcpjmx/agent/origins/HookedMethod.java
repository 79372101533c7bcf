package org.tcpjmx.agent.origins;

import java.util.List;

/**
 * A JDK method origin tracking rewrites: where a TCP socket comes into being for the application.
 *
 * @param owner the class, internal name ({@code java/net/Socket})
 * @param name the method's name
 * @param descriptorPrefix the start of its descriptor (the argument list may vary between JDKs)
 * @param hook what the rewritten method tells the hook, and when
 */
record HookedMethod(String owner, String name, String descriptorPrefix, Hook hook) {
    /** What a rewritten method calls. */
    enum Hook {
        /** A connect: {@code OriginHook.opened(this)} as it returns. */
        OPENED,
        /** An accept: {@code OriginHook.accepted(result, this)} as it returns (the accepted socket, the server). */
        ACCEPTED,
        /**
         * An asynchronous accept asked for: {@code OriginHook.accepting(this)} as it starts, while the
         * application's frames are on the stack; the JDK's handler thread that may complete it has none.
         */
        ACCEPTING
    }

    /**
     * What the JDK's HttpClient, HttpURLConnection, Jetty, Tomcat NIO, Netty's NIO transport and JDBC
     * drivers end in. {@code java.net.Socket} on JDK 13+ runs on NioSocketImpl, not on
     * SocketChannelImpl, so no socket passes two of these.
     */
    static final List<HookedMethod> ALL = List.of(
            new HookedMethod("java/net/Socket", "connect", "(Ljava/net/SocketAddress;I)V", Hook.OPENED),
            new HookedMethod("java/net/ServerSocket", "accept", "()Ljava/net/Socket;", Hook.ACCEPTED),
            new HookedMethod("sun/nio/ch/SocketChannelImpl", "connect", "(Ljava/net/SocketAddress;)Z", Hook.OPENED),
            new HookedMethod("sun/nio/ch/SocketChannelImpl", "finishConnect", "()Z", Hook.OPENED),
            new HookedMethod("sun/nio/ch/ServerSocketChannelImpl", "accept", "()Ljava/nio/channels/SocketChannel;", Hook.ACCEPTED),
            // Asynchronous channels: a connect returns from implConnect, done at once or pending; both
            // ways the channel becomes connected in setConnected, a pending one on a handler thread.
            // Not finishConnect(boolean), which calls it there: once that method is rewritten, JDK 17's
            // HotSpot aborts the JVM when a collection computes its interpreter oop map ("Illegal class
            // file encountered" in GenerateOopMap; OriginsIT reproduces it), JDK 25's does not. An
            // accept returns from finishAccept (its arguments differ between JDKs), on the caller's
            // thread when done at once, else on a handler thread after implAccept returned.
            new HookedMethod("sun/nio/ch/UnixAsynchronousSocketChannelImpl", "implConnect", "(", Hook.OPENED),
            new HookedMethod("sun/nio/ch/UnixAsynchronousSocketChannelImpl", "setConnected", "()V", Hook.OPENED),
            new HookedMethod("sun/nio/ch/UnixAsynchronousServerSocketChannelImpl", "implAccept",
                    "(Ljava/lang/Object;Ljava/nio/channels/CompletionHandler;)", Hook.ACCEPTING),
            new HookedMethod("sun/nio/ch/UnixAsynchronousServerSocketChannelImpl", "finishAccept", "(", Hook.ACCEPTED));

    /** The binary names of the classes to retransform. */
    static List<String> classNames() {
        return ALL.stream().map(m -> m.owner().replace('/', '.')).distinct().toList();
    }

    boolean matches(String methodName, String descriptor) {
        if (!name.equals(methodName) || !descriptor.startsWith(descriptorPrefix)) {
            return false;
        }
        // finishAccept must return the accepted channel; implConnect's result is not needed.
        return hook != Hook.ACCEPTED || descriptor.endsWith(";");
    }
}
