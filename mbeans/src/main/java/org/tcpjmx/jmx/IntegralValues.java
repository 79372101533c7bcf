package org.tcpjmx.jmx;

import java.util.Optional;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * Integral values as clients send them, fitted to the declared open type. JConsole turns typed
 * text into an {@code Integer} unless it ends in {@code L}, and JSON clients send whatever size the
 * number needs: a {@code Long} attribute set to {@code 1} must work, and so must an {@code Integer}
 * parameter given a small {@code Long}.
 */
final class IntegralValues {
    private IntegralValues() {
    }

    /**
     * The value as the type's class when it is an integral number that fits; empty when it is not
     * integral or the type is not integral (the caller then checks the value as it is).
     *
     * @throws IllegalArgumentException when the number is integral but does not fit, naming the range
     */
    static Optional<Object> fit(OpenType<?> type, Object value, String what) {
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)) {
            return Optional.empty();
        }
        long v = ((Number) value).longValue();
        if (SimpleType.LONG.equals(type)) {
            return Optional.of(v);
        }
        if (SimpleType.INTEGER.equals(type)) {
            return Optional.of((int) within(v, Integer.MIN_VALUE, Integer.MAX_VALUE, what));
        }
        if (SimpleType.SHORT.equals(type)) {
            return Optional.of((short) within(v, Short.MIN_VALUE, Short.MAX_VALUE, what));
        }
        if (SimpleType.DOUBLE.equals(type)) {
            // A rebalance fraction of 1 typed as "1".
            return Optional.of((double) v);
        }
        if (SimpleType.BYTE.equals(type)) {
            return Optional.of((byte) within(v, Byte.MIN_VALUE, Byte.MAX_VALUE, what));
        }
        return Optional.empty();
    }

    private static long within(long v, long min, long max, String what) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " takes a number from " + min + " to " + max + ", not " + v);
        }
        return v;
    }
}
