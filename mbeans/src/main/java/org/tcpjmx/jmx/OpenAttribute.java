package org.tcpjmx.jmx;

import java.util.Optional;
import javax.management.Descriptor;
import javax.management.ImmutableDescriptor;
import javax.management.openmbean.OpenType;

/**
 * One attribute of an {@link OpenMBeanBase}.
 *
 * @param name the attribute name
 * @param description what it holds, with its unit
 * @param type its open type
 * @param descriptor extra descriptor fields ({@code units}, {@code metricType}); empty for none
 * @param getter computes the value
 * @param setter present when the attribute is writable
 */
public record OpenAttribute(String name, String description, OpenType<?> type, Descriptor descriptor, Getter getter,
                            Optional<Setter> setter) {

    /** Reads the value; attributes read together share the context. */
    @FunctionalInterface
    public interface Getter {
        Object get(ReadContext context);
    }

    /** Sets the value, already checked against the open type; throws IllegalArgumentException when out of range. */
    @FunctionalInterface
    public interface Setter {
        void set(Object value);
    }

    public OpenAttribute {
        if (name == null || name.isBlank() || description == null || description.isBlank() || type == null
                || descriptor == null || getter == null || setter == null) {
            throw new IllegalArgumentException("an attribute needs a name, a description, a type and a getter");
        }
    }

    /** A read-only attribute. */
    public static OpenAttribute readOnly(String name, String description, OpenType<?> type, Getter getter) {
        return new OpenAttribute(name, description, type, ImmutableDescriptor.EMPTY_DESCRIPTOR, getter, Optional.empty());
    }

    /** A writable attribute. */
    public static OpenAttribute writable(String name, String description, OpenType<?> type, Getter getter, Setter setter) {
        return new OpenAttribute(name, description, type, ImmutableDescriptor.EMPTY_DESCRIPTOR, getter, Optional.of(setter));
    }

    /** The same attribute with descriptor fields added ({@code "units=seconds"}, ...). */
    public OpenAttribute withDescriptor(String... fields) {
        return new OpenAttribute(name, description, type,
                ImmutableDescriptor.union(descriptor, new ImmutableDescriptor(fields)), getter, setter);
    }
}
