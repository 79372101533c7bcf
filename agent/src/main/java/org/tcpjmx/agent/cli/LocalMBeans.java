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
import org.tcpjmx.jmx.CurrentRequester;
import org.tcpjmx.jmx.TcpJmx;
import org.tcpjmx.jmx.TcpJmxOptions;
import org.tcpjmx.model.Requester;

/**
 * The tcpjmx MBeans registered in a private MBeanServer of this process, so that the local commands
 * read this host's table through the very operations a remote agent serves. The server is private
 * ({@code newMBeanServer}: not listed by {@code MBeanServerFactory}, served by no bridge), so the
 * Drop MBean sits in it beside the others: what an agent's {@code dropAccess=agent} keeps to its own
 * endpoint is here kept to this command. Calls run as {@link #REQUESTER}, so that audit lines say
 * the command line asked.
 */
final class LocalMBeans implements MBeanAccess {
    /** The command line acting on this host by itself: surface {@code cli}, the user and process. */
    static final Requester REQUESTER = new Requester("cli", "local user=" + System.getProperty("user.name", "?")
            + " pid=" + ProcessHandle.current().pid());

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
            String[] signature = signature(name, operation);
            return OpenValues.plain(asCli(() -> server.invoke(name, operation, arguments, signature)));
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
            ObjectName name = new ObjectName(mbean);
            return OpenValues.plain(asCli(() -> server.getAttribute(name, attribute)));
        } catch (RuntimeOperationsException | RuntimeMBeanException e) {
            throw translate(e.getCause() != null ? e.getCause() : e);
        } catch (JMException e) {
            throw new CommandFailure(mbean + " " + attribute + ": " + message(e), e);
        }
    }

    /** One call into the private MBeanServer. */
    private interface ServerCall {
        Object run() throws JMException;
    }

    /** Carries a checked JMException through {@link CurrentRequester#callAs}, whose work is a Supplier. */
    private static final class Unchecked extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unchecked(JMException cause) {
            super(cause);
        }
    }

    /** Runs the call as {@link #REQUESTER}. */
    private static Object asCli(ServerCall call) throws JMException {
        try {
            return CurrentRequester.callAs(REQUESTER, () -> {
                try {
                    return call.run();
                } catch (JMException e) {
                    throw new Unchecked(e);
                }
            });
        } catch (Unchecked e) {
            throw (JMException) e.getCause();
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
