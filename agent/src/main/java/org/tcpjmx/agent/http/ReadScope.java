package org.tcpjmx.agent.http;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jolokia.server.core.request.JolokiaReadRequest;
import org.jolokia.server.core.request.JolokiaRequest;
import org.jolokia.server.core.service.api.AbstractJolokiaService;
import org.jolokia.server.core.service.api.JolokiaContext;
import org.jolokia.server.core.service.request.RequestHandler;
import org.jolokia.server.core.util.RequestType;

/**
 * Refuses, with 403 and before any MBean is touched, a read that reaches an MBean or attribute the
 * access rules do not serve. Jolokia reads several attributes (or all of an MBean, or all of every
 * MBean a pattern such as {@code *:*} matches) first and checks the restrictor afterwards, so the
 * host's getters ran for MBeans the client may not see (the values were withheld, the work and any
 * side effect were not), and the refusal named a hidden MBean. Here a read is served only when every
 * MBean it names or matches, and every attribute it asks for (all of them when it names none), may
 * be read; the refusal names nothing it hides. Placed before every Jolokia request handler.
 */
public final class ReadScope extends AbstractJolokiaService<RequestHandler> implements RequestHandler {
    private final MBeanServer server;
    private volatile JolokiaContext context;

    /** Reads of the platform MBeanServer, the only one the agent serves. */
    public ReadScope() {
        this(ManagementFactory.getPlatformMBeanServer());
    }

    ReadScope(MBeanServer server) {
        super(RequestHandler.class, -9);
        this.server = server;
    }

    @Override
    public void init(JolokiaContext jolokiaContext) {
        super.init(jolokiaContext);
        context = jolokiaContext;
    }

    @Override
    public boolean canHandle(JolokiaRequest request) {
        JolokiaContext c = context;
        if (request.getType() != RequestType.READ || c == null) {
            return false;
        }
        JolokiaReadRequest read = (JolokiaReadRequest) request;
        ObjectName name = read.getObjectName();
        Set<ObjectName> names = name.isPattern() ? server.queryNames(name, null) : Set.of(name);
        for (ObjectName n : names) {
            if (c.isObjectNameHidden(n) || !attributesReadable(c, n, read)) {
                return true;
            }
        }
        return false;
    }

    private boolean attributesReadable(JolokiaContext c, ObjectName name, JolokiaReadRequest read) {
        List<String> asked = read.hasAttribute() ? read.getAttributeNames() : List.of();
        List<String> attributes = new ArrayList<>(asked == null ? List.of() : asked);
        attributes.removeIf(a -> a == null);
        if (attributes.isEmpty()) {
            try {
                for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                    if (a.isReadable()) {
                        attributes.add(a.getName());
                    }
                }
            } catch (JMException e) {
                // Gone or not there: Jolokia answers that itself.
                return true;
            }
        }
        for (String a : attributes) {
            if (!c.isAttributeReadAllowed(name, a)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public <R extends JolokiaRequest> Object handleRequest(R request, Object previousResult) {
        throw new SecurityException("this read reaches MBeans or attributes the tcpjmx agent does not serve;"
                + " read org.tcpjmx MBeans (for instance org.tcpjmx:*)");
    }

    @Override
    public String getProvider() {
        return null;
    }

    @Override
    public Object getRuntimeInfo() {
        return null;
    }
}
