package org.tcpjmx.jmx;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One client request, on the thread serving it: every tcpjmx attribute read on this thread until
 * the scope is closed shares its kernel reads, as the attributes of one {@code getAttributes} call
 * do. Jolokia reads a whole MBean, a pattern such as {@code org.tcpjmx:*} or a bulk request as one
 * {@code getAttribute} call per attribute; a surface that serves such requests (the agent's HTTP
 * endpoint) opens a scope around each, so the request costs one walk of the socket table, not one
 * per attribute. The figures are those of the request's first read: a bulk request that drops
 * connections between two reads sees the same snapshot twice.
 *
 * <pre>{@code
 * try (RequestScope scope = RequestScope.open()) {
 *     ... serve the request ...
 * }
 * }</pre>
 *
 * A scope opened inside another joins it. Not shared between threads.
 */
public final class RequestScope implements AutoCloseable {
    private static final ThreadLocal<RequestScope> CURRENT = new ThreadLocal<>();

    private final Map<Object, Map<String, Object>> memos;
    private final boolean outermost;

    private RequestScope(Map<Object, Map<String, Object>> memos, boolean outermost) {
        this.memos = memos;
        this.outermost = outermost;
    }

    /** Opens a scope on this thread, or joins the one already open. */
    public static RequestScope open() {
        RequestScope outer = CURRENT.get();
        if (outer != null) {
            return new RequestScope(outer.memos, false);
        }
        RequestScope s = new RequestScope(new IdentityHashMap<>(), true);
        CURRENT.set(s);
        return s;
    }

    /** Whether a scope is open on this thread. */
    public static boolean isOpen() {
        return CURRENT.get() != null;
    }

    /** Ends the scope (the outermost one only); what it remembered is dropped. */
    @Override
    public void close() {
        if (outermost && CURRENT.get() == this) {
            CURRENT.remove();
        }
    }

    /** The memo of {@code bean} for the request on this thread, or null outside a scope. */
    static Map<String, Object> memoOf(Object bean) {
        RequestScope s = CURRENT.get();
        return s == null ? null : s.memos.computeIfAbsent(bean, b -> new HashMap<>());
    }
}
