package org.tcpjmx.agent.http;

import java.util.EnumSet;
import java.util.Set;
import javax.management.ObjectName;
import org.jolokia.server.core.config.Configuration;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

/**
 * The agent's Jolokia access policy.
 * <ul>
 *   <li>Only {@code org.tcpjmx} MBeans exist for HTTP clients, with or without a policy file: every
 *       other domain is hidden from {@code list}/{@code search} and refused for read, write and exec.</li>
 *   <li>{@code exec} and {@code write} only by POST (a GET can be fired by any web page).</li>
 *   <li>{@code readOnly}: every operation of {@code org.tcpjmx:type=Drop} and every attribute write refused.</li>
 *   <li>Strict CORS: a request carrying an {@code Origin} (or {@code Referer}) is refused unless the
 *       policy lists that origin exactly; no wildcard ever.</li>
 *   <li>Only read, list, search, version, exec and write requests; no config or notification requests.</li>
 * </ul>
 * A policy file ({@code policy=FILE}) narrows further: which {@code org.tcpjmx} MBeans, attributes,
 * operations and client addresses are allowed, and which browser origins; the rules above still apply.
 *
 * <p>Jolokia instantiates restrictors by class name ({@code restrictorClass}), so the rules are handed
 * over through {@link #handOver(AccessRules)} on the thread that creates the Jolokia server.
 */
public final class TcpJmxRestrictor implements Restrictor {
    /** The MBean domain served by default. */
    public static final String DOMAIN = "org.tcpjmx";
    private static final Set<RequestType> TYPES = EnumSet.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH,
            RequestType.VERSION, RequestType.EXEC, RequestType.WRITE);
    private static final ThreadLocal<AccessRules> HANDOVER = new ThreadLocal<>();

    private final AccessRules rules;

    /** Called by Jolokia's {@code RestrictorFactory}; takes the rules handed over on this thread. */
    public TcpJmxRestrictor(Configuration ignored) {
        AccessRules r = HANDOVER.get();
        if (r == null) {
            throw new IllegalStateException(getClass().getName() + " is configured by the tcpjmx agent only");
        }
        this.rules = r;
    }

    TcpJmxRestrictor(AccessRules rules) {
        this.rules = rules;
    }

    /** Makes {@code rules} the ones the next restrictor created on this thread enforces; clear with {@link #clearHandOver()}. */
    static void handOver(AccessRules rules) {
        HANDOVER.set(rules);
    }

    static void clearHandOver() {
        HANDOVER.remove();
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.POST;
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return TYPES.contains(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return visible(name) && rules.policy().map(p -> p.isAttributeReadAllowed(name, attribute)).orElse(true);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return RequestMethod.isPost() && !rules.readOnly() && visible(name)
                && rules.policy().map(p -> p.isAttributeWriteAllowed(name, attribute)).orElse(true);
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        if (!RequestMethod.isPost() || !visible(name)) {
            return false;
        }
        if (rules.readOnly() && isDropMBean(name)) {
            return false;
        }
        return rules.policy().map(p -> p.isOperationAllowed(name, operation)).orElse(true);
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return rules.policy().map(p -> p.isRemoteAccessAllowed(hostOrAddress)).orElse(true);
    }

    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        // Jolokia passes the Origin or, without one, the whole Referer: the same rule as the agent's filter.
        return rules.origins().allows(origin);
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return !visible(name);
    }

    /**
     * Only {@code org.tcpjmx}, whatever a policy file says: a policy narrows, never widens. A policy
     * that allowed other domains would open, say, {@code DiagnosticCommand}'s {@code JVMTI.agent_load}
     * (native code loaded into the host) to anyone who reaches the port.
     */
    private boolean visible(ObjectName name) {
        if (name == null || !DOMAIN.equals(name.getDomain())) {
            return false;
        }
        return rules.policy().map(p -> !p.isObjectNameHidden(name)).orElse(true);
    }

    private static boolean isDropMBean(ObjectName name) {
        return DOMAIN.equals(name.getDomain()) && "Drop".equals(name.getKeyProperty("type"));
    }
}
