package org.tcpjmx.agent.http;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named {@code tcpjmx-http-N} whose context class loader is the platform loader.
 * Jolokia looks classes and services up through the context loader and then its own (the agent's):
 * the application's loader there would hand it the application's own Jolokia; the agent's loader
 * there would be inherited by any thread the JDK starts from a request and pin the agent after a detach.
 */
final class AgentThreadFactory implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(task, "tcpjmx-http-" + count.incrementAndGet());
        t.setDaemon(true);
        t.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        return t;
    }
}
