package org.tcpjmx.agent.http;

import org.jolokia.server.core.request.JolokiaRequest;
import org.jolokia.server.core.service.api.AbstractJolokiaService;
import org.jolokia.server.core.service.api.JolokiaContext;
import org.jolokia.server.core.service.request.RequestHandler;

/**
 * Refuses, with 403, every request whose type the restrictor does not allow. Jolokia asks the
 * restrictor's {@code isTypeAllowed} in its JMX command handlers, but not for {@code notification}
 * requests (its notification handler skips the check) nor for {@code config} ones (answered before
 * any check): without this, any client could register notification clients in the host's heap.
 * Placed before every other request handler (Jolokia's version handler is -1, its config handler -2).
 */
public final class RefusedRequestTypes extends AbstractJolokiaService<RequestHandler> implements RequestHandler {
    private volatile JolokiaContext context;

    public RefusedRequestTypes() {
        super(RequestHandler.class, -10);
    }

    @Override
    public void init(JolokiaContext jolokiaContext) {
        super.init(jolokiaContext);
        context = jolokiaContext;
    }

    @Override
    public boolean canHandle(JolokiaRequest request) {
        JolokiaContext c = context;
        // Before init nothing is served at all; afterwards the restrictor decides.
        return c == null || !c.isTypeAllowed(request.getType());
    }

    @Override
    public <R extends JolokiaRequest> Object handleRequest(R request, Object previousResult) {
        throw new SecurityException("'" + request.getType().getName() + "' requests are not served by the tcpjmx agent;"
                + " it serves read, list, search, version, exec and write");
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
