package org.tcpjmx.jmx;

import java.util.List;
import javax.management.MBeanOperationInfo;
import javax.management.openmbean.OpenType;

/**
 * One operation of an {@link OpenMBeanBase}. Operations are never overloaded: Jolokia and
 * JConsole handle overloads badly.
 *
 * @param name the operation name
 * @param description what it does and returns
 * @param impact {@link MBeanOperationInfo#INFO} for queries, {@link MBeanOperationInfo#ACTION} for drops
 * @param returnType the open type of the result
 * @param parameters the parameters, in call order
 * @param body runs the operation
 */
public record OpenOperation(String name, String description, int impact, OpenType<?> returnType,
                            List<OpenParameter> parameters, Body body) {

    /** Runs the operation; throws IllegalArgumentException for bad arguments. */
    @FunctionalInterface
    public interface Body {
        Object invoke(Arguments arguments);
    }

    public OpenOperation {
        if (name == null || name.isBlank() || description == null || description.isBlank() || returnType == null
                || body == null) {
            throw new IllegalArgumentException("an operation needs a name, a description, a return type and a body");
        }
        if (impact != MBeanOperationInfo.INFO && impact != MBeanOperationInfo.ACTION
                && impact != MBeanOperationInfo.ACTION_INFO) {
            throw new IllegalArgumentException("operation " + name + ": impact " + impact + " is not INFO, ACTION or ACTION_INFO");
        }
        parameters = List.copyOf(parameters);
    }

    /** A query: impact INFO. */
    public static OpenOperation query(String name, String description, OpenType<?> returnType, Body body,
                                      OpenParameter... parameters) {
        return new OpenOperation(name, description, MBeanOperationInfo.INFO, returnType, List.of(parameters), body);
    }

    /** An action that changes something (a drop): impact ACTION. */
    public static OpenOperation action(String name, String description, OpenType<?> returnType, Body body,
                                       OpenParameter... parameters) {
        return new OpenOperation(name, description, MBeanOperationInfo.ACTION, returnType, List.of(parameters), body);
    }
}
