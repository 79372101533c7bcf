package org.tcpjmx.model;

import java.util.OptionalLong;

/**
 * A tunable and its current value.
 *
 * @param tunable the mapping entry
 * @param value the value: the whole file with runs of blanks made one space, or the one field
 */
public record TunableValue(Tunable tunable, String value) {
    /** The value as a number, when the tunable is a {@link Tunable.Kind#NUMBER} and the text is one. */
    public OptionalLong number() {
        if (tunable.kind() != Tunable.Kind.NUMBER) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
