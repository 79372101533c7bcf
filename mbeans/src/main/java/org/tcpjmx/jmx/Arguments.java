package org.tcpjmx.jmx;

import java.util.List;

/**
 * The arguments of one operation call, looked up by parameter name. Types were checked against the
 * operation's parameters before the body runs; a missing (null) value of a number or flag is an
 * {@link IllegalArgumentException} naming the parameter.
 */
public final class Arguments {
    private final String operation;
    private final List<OpenParameter> parameters;
    private final Object[] values;

    Arguments(String operation, List<OpenParameter> parameters, Object[] values) {
        this.operation = operation;
        this.parameters = parameters;
        this.values = values;
    }

    /** A String argument; null is read as "". */
    public String string(String name) {
        Object v = values[index(name)];
        return v == null ? "" : (String) v;
    }

    /** An Integer argument. */
    public int integer(String name) {
        return ((Number) required(name)).intValue();
    }

    /** A Double argument; an integral number (JConsole's "1") is taken as it is. */
    public double decimal(String name) {
        return ((Number) required(name)).doubleValue();
    }

    /** A Boolean argument. */
    public boolean bool(String name) {
        return (Boolean) required(name);
    }

    private Object required(String name) {
        Object v = values[index(name)];
        if (v == null) {
            throw new IllegalArgumentException(operation + ": parameter '" + name + "' is missing (null)");
        }
        return v;
    }

    private int index(String name) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException(operation + " declares no parameter '" + name + "'");
    }
}
