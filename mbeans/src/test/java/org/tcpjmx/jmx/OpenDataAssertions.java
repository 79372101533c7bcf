package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.OpenType;

/** Checks a client can make of what it received: open data only, of JDK classes only. */
final class OpenDataAssertions {
    private OpenDataAssertions() {
    }

    /** The value fits the declared open type, and it and everything in it come from the JDK. */
    static void assertOpenData(String what, OpenType<?> declared, Object value) {
        assertNotNull(declared, what + ": no openType in the descriptor");
        assertNotNull(value, what + " is null");
        assertTrue(declared.isValue(value), what + ": " + value + " is not a " + declared);
        assertJdkOnly(what, value);
    }

    private static void assertJdkOnly(String what, Object value) {
        if (value == null) {
            return;
        }
        assertNull(value.getClass().getClassLoader(), what + " holds a " + value.getClass().getName()
                + ", which a client without tcpjmx's jar could not load");
        if (value instanceof CompositeData) {
            CompositeData c = (CompositeData) value;
            for (String key : c.getCompositeType().keySet()) {
                assertJdkOnly(what + "." + key, c.get(key));
            }
        } else if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                assertJdkOnly(what + "[" + i + "]", Array.get(value, i));
            }
        }
    }
}
