package org.tcpjmx.jmx;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Scratch space for one attribute read. {@code getAttributes} reads several attributes through one
 * context, so attributes computed from the same kernel dump or file share one read of it.
 */
public final class ReadContext {
    private final Map<String, Object> memo = new HashMap<>();
    private final int attributes;

    ReadContext(int attributes) {
        this.attributes = attributes;
    }

    /** Whether several attributes are read through this context (so a shared read pays off). */
    public boolean batch() {
        return attributes > 1;
    }

    /** Computes a value once per context. */
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
