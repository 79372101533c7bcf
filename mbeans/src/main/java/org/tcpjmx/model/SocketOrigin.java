package org.tcpjmx.model;

import java.util.List;

/**
 * Where in this JVM's code a socket was opened: recorded when a connect or accept returned.
 *
 * @param origin the first application frame, e.g. {@code com.acme.OrderClient.fetch(OrderClient.java:88)};
 *     the first frame below the JDK's socket method when no application frame was on the stack
 * @param stack the kept frames, innermost first (bounded)
 * @param thread the name of the thread that connected or accepted
 * @param openedMillis when the connect or accept returned, epoch milliseconds
 */
public record SocketOrigin(String origin, List<String> stack, String thread, long openedMillis) {
    public SocketOrigin {
        if (origin == null || stack == null || thread == null) {
            throw new IllegalArgumentException("a socket origin has no null fields");
        }
        stack = List.copyOf(stack);
    }
}
