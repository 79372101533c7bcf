package org.tcpjmx.agent.cli;

import javax.management.JMException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.RuntimeOperationsException;
import org.tcpjmx.jmx.TcpJmx;
import org.tcpjmx.jmx.TcpJmxOptions;

/**
 * The tcpjmx MBeans registered in a private MBeanServer of this process, so that the local commands
 * read this host's table through the very operations a remote agent serves. The server is private
 * ({@code newMBeanServer}: not listed by {@code MBeanServerFactory}, served by no bridge), so the
 * Drop MBean sits in it beside the others: what an agent's {@code dropAccess=agent} keeps to its own
 * endpoint is here kept to this command.
 */
final class LocalMBeans implements MBeanAccess {
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final TcpJmx.Registration registration;

    LocalMBeans() {
        try {
            registration = TcpJmx.register(server, server, TcpJmxOptions.defaults());
        } catch (RuntimeException e) {
            throw new CommandFailure("cannot read this host's TCP table: " + e.getMessage(), e);
        }
    }

    @Override
    public Object exec(String mbean, String operation, Object... arguments) {
        try {
            ObjectName name = new ObjectName(mbean);
            return OpenValues.plain(server.invoke(name, operation, arguments, signature(name, operation)));
        } catch (RuntimeOperationsException | RuntimeMBeanException e) {
            throw translate(e.getCause() != null ? e.getCause() : e);
        } catch (JMException e) {
            throw new CommandFailure(mbean + " " + operation + ": " + message(e), e);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public Object read(String mbean, String attribute) {
        try {
            return OpenValues.plain(server.getAttribute(new ObjectName(mbean), attribute));
        } catch (RuntimeOperationsException | RuntimeMBeanException e) {
            throw translate(e.getCause() != null ? e.getCause() : e);
        } catch (JMException e) {
            throw new CommandFailure(mbean + " " + attribute + ": " + message(e), e);
        }
    }

    private String[] signature(ObjectName name, String operation) throws JMException {
        MBeanInfo info = server.getMBeanInfo(name);
        for (MBeanOperationInfo op : info.getOperations()) {
            if (op.getName().equals(operation)) {
                MBeanParameterInfo[] params = op.getSignature();
                String[] sig = new String[params.length];
                for (int i = 0; i < sig.length; i++) {
                    sig[i] = params[i].getType();
                }
                return sig;
            }
        }
        throw new CommandFailure(name + " has no operation '" + operation + "'");
    }

    private static RuntimeException translate(Throwable cause) {
        if (cause instanceof IllegalArgumentException) {
            return new UsageException(cause.getMessage());
        }
        return new CommandFailure(message(cause), cause);
    }

    private static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    }

    @Override
    public void close() {
        registration.close();
    }
}
