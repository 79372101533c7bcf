package org.tcpjmx.agent.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.jolokia.service.serializer.JolokiaSerializer;

/**
 * Jolokia's serializer, strict where its leniency is dangerous. Jolokia turns any value into a
 * boolean with {@code Boolean.parseBoolean}, so {@code "yes"}, {@code "1"}, {@code "ture"} or a JSON
 * {@code 1} became {@code false}: a {@code dropState("CLOSE_WAIT", "yes")} meant as a listing
 * ({@code listOnly}) dropped every CLOSE_WAIT connection of the host. And a number too big for an
 * {@code int} was refused with a message that did not name it.
 *
 * <p>Here a boolean argument or attribute value is a JSON boolean or the string {@code true} or
 * {@code false} (any case); an {@code int} or {@code long} is a whole number that fits, given as a
 * JSON number or a string. Anything else is an {@link IllegalArgumentException} naming the value and
 * what is valid, which Jolokia answers with status 400. Every other conversion is Jolokia's own.
 * It replaces Jolokia's {@link JolokiaSerializer} (disabled by the agent's configuration): Jolokia
 * wants exactly one serializer.
 */
public final class StrictArgumentSerializer extends JolokiaSerializer {

    @Override
    public Object deserialize(String expectedClassName, Object value) {
        if (value != null) {
            switch (expectedClassName) {
                case "java.lang.Boolean":
                case "boolean":
                    return bool(value);
                case "java.lang.Integer":
                case "int":
                    return (int) whole(value, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int");
                case "java.lang.Long":
                case "long":
                    return whole(value, Long.MIN_VALUE, Long.MAX_VALUE, "a long");
                case "java.lang.Double":
                case "double":
                    return decimal(value);
                default:
                    break;
            }
        }
        return super.deserialize(expectedClassName, value);
    }

    @Override
    public Object deserializeOpenType(OpenType<?> type, Object value) {
        if (value != null) {
            if (SimpleType.BOOLEAN.equals(type)) {
                return bool(value);
            }
            if (SimpleType.INTEGER.equals(type)) {
                return (int) whole(value, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int");
            }
            if (SimpleType.LONG.equals(type)) {
                return whole(value, Long.MIN_VALUE, Long.MAX_VALUE, "a long");
            }
            if (SimpleType.DOUBLE.equals(type)) {
                return decimal(value);
            }
        }
        return super.deserializeOpenType(type, value);
    }

    static Boolean bool(Object value) {
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof String) {
            String s = ((String) value).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true")) {
                return Boolean.TRUE;
            }
            if (s.equals("false")) {
                return Boolean.FALSE;
            }
        }
        throw new IllegalArgumentException(shown(value) + " is not a boolean; use true or false");
    }

    static long whole(Object value, long min, long max, String what) {
        BigInteger n;
        try {
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                n = BigInteger.valueOf(((Number) value).longValue());
            } else if (value instanceof BigInteger) {
                n = (BigInteger) value;
            } else if (value instanceof BigDecimal || value instanceof Double || value instanceof Float || value instanceof String) {
                n = new BigDecimal(value.toString().trim()).toBigIntegerExact();
            } else {
                n = null;
            }
        } catch (ArithmeticException | NumberFormatException e) {
            n = null;
        }
        if (n == null || n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException(shown(value) + " is not " + what + " (a whole number from " + min + " to " + max + ")");
        }
        return n.longValue();
    }

    /**
     * A double from any JSON number or numeric string: Jolokia's own conversion refuses a JSON
     * {@code 1} (a Long) for a double, so {@code rebalance(filter, 1, ...)} failed.
     */
    static Double decimal(Object value) {
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof String) {
            try {
                return Double.valueOf(((String) value).trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(shown(value) + " is not a number");
    }

    /** The value as the client sent it, quoted, and cut short if long. */
    private static String shown(Object value) {
        String s = String.valueOf(value);
        return "'" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "'";
    }
}
