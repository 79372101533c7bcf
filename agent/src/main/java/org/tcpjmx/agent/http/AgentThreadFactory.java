package org.tcpjmx.agent.http;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named {@code tcpjmx-http-N} whose context class loader is the platform loader.
 * Jolokia looks classes and services up through the context loader and then its own (the agent's):
 * the application's loader there would hand it the application's own Jolokia; the agent's loader
 * there would be inherited by any thread the JDK starts from a request and pin the agent after a detach.
 */
final class AgentThreadFactory implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();
    /** Threads not yet ended; each removes itself as its last act. */
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } finally {
                live.remove(Thread.currentThread());
            }
        }, "tcpjmx-http-" + count.incrementAndGet());
        t.setDaemon(true);
        t.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        live.add(t);
        return t;
    }

    /**
     * Waits until every thread of this factory has ended. An executor counts as terminated once
     * its last worker has left its loop, a moment before that thread is gone: a detach that
     * returned then could still show a {@code tcpjmx-http-N} thread.
     */
    void awaitEnd(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread t : List.copyOf(live)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                t.join(left);
            }
        }
    }
}
