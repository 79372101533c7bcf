package org.tcpjmx.agent.cli;

/**
 * The tcpjmx MBeans as the table, states and tcpdrop commands use them: in this process (local) or
 * through a remote agent's Jolokia. Results are plain Java values as JSON has them: {@code Map}
 * for composite data, {@code List} for arrays, strings, numbers and booleans; so both ways print
 * alike.
 */
interface MBeanAccess extends AutoCloseable {
    /**
     * Invokes an operation.
     *
     * @throws UsageException when the MBean rejects an argument (IllegalArgumentException: a bad filter, state, address)
     * @throws CommandFailure for anything else (refused, unreachable, not registered)
     */
    Object exec(String mbean, String operation, Object... arguments);

    /** Reads an attribute; errors as {@link #exec}. */
    Object read(String mbean, String attribute);

    @Override
    void close();
}
