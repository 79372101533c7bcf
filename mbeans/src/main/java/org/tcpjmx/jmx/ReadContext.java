package org.tcpjmx.jmx;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Scratch space for one attribute read. {@code getAttributes} reads several attributes through one
 * context, and inside a {@link RequestScope} every read of one MBean shares one memo, so attributes
 * computed from the same kernel dump or file share one read of it.
 */
public final class ReadContext {
    private final Map<String, Object> memo;
    private final int attributes;
    private final boolean scoped;

    ReadContext(int attributes) {
        this(attributes, new HashMap<>(), false);
    }

    private ReadContext(int attributes, Map<String, Object> memo, boolean scoped) {
        this.attributes = attributes;
        this.memo = memo;
        this.scoped = scoped;
    }

    /** A context for reading {@code attributes} attributes of {@code bean}: the request's memo when a scope is open. */
    static ReadContext of(Object bean, int attributes) {
        Map<String, Object> shared = RequestScope.memoOf(bean);
        return shared == null ? new ReadContext(attributes) : new ReadContext(attributes, shared, true);
    }

    /** Whether several attributes are read through this context or its request (so a shared read pays off). */
    public boolean batch() {
        return attributes > 1 || scoped;
    }

    /** Computes a value once per context (once per request inside a {@link RequestScope}). */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, Supplier<T> compute) {
        Object v = memo.get(key);
        if (v == null) {
            v = compute.get();
            memo.put(key, v);
        }
        return (T) v;
    }
}
