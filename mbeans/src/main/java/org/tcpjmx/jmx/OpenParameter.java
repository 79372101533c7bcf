package org.tcpjmx.jmx;

import javax.management.openmbean.OpenType;

/**
 * One parameter of an {@link OpenOperation}: the name and description JConsole and Jolokia's
 * {@code list} show, and its open type.
 *
 * @param name the parameter name (never {@code p0})
 * @param description what the parameter means and what values are valid
 * @param type a simple open type ({@code String}, {@code Integer}, {@code Boolean}, ...)
 */
public record OpenParameter(String name, String description, OpenType<?> type) {
    public OpenParameter {
        if (name == null || name.isBlank() || description == null || description.isBlank() || type == null) {
            throw new IllegalArgumentException("a parameter needs a name, a description and a type");
        }
    }
}
