package org.tcpjmx.agent.http;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named {@code tcpjmx-http-N} whose context class loader is the agent's: Jolokia looks
 * services and classes up through the context class loader first, and must never find the
 * application's own Jolokia or SLF4J there.
 */
final class AgentThreadFactory implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();
    private final ClassLoader loader;

    AgentThreadFactory(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(task, "tcpjmx-http-" + count.incrementAndGet());
        t.setDaemon(true);
        t.setContextClassLoader(loader);
        return t;
    }
}
