package org.tcpjmx.agent;

import java.util.Locale;

/**
 * Where the drop operations ({@code org.tcpjmx:type=Drop}) are reachable: agent option
 * {@code dropAccess}.
 */
public enum DropAccess {
    /**
     * Only through the agent's own Jolokia endpoint (and so the command line's {@code --url}): the
     * Drop MBean lives in an MBeanServer only the agent serves; the platform MBeanServer, which
     * JConsole, VisualVM, another Jolokia or a JMX remote port reach, has the read-only MBeans.
     */
    AGENT,
    /** Wherever the platform MBeanServer is reachable: JConsole, VisualVM, any JMX bridge of the JVM. */
    EVERYWHERE;

    /** The option's value as written: {@code agent} or {@code everywhere}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the option's value.
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static DropAccess parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (DropAccess a : values()) {
            if (a.value().equals(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException("dropAccess='" + value + "' is not valid; use dropAccess=agent (drops only through"
                + " tcpjmx's own Jolokia endpoint, the default) or dropAccess=everywhere (also JConsole, VisualVM and any"
                + " other JMX bridge of the JVM)");
    }
}
