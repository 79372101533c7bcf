package org.tcpjmx.agent.http;

import org.jolokia.server.core.service.api.AbstractJolokiaService;
import org.jolokia.server.core.service.api.JolokiaService;
import org.jolokia.server.core.util.jmx.DefaultMBeanServerAccess;
import org.jolokia.server.core.util.jmx.MBeanServerAccess;

/**
 * Takes Jolokia's MBean registration listeners off the platform MBeanServer when Jolokia stops.
 * Jolokia 2.4 adds them (to notice MBeans coming and going) and its stop never removes them; the
 * MBeanServer delegate, which lives as long as the JVM, would then hold the agent's class loader
 * after a detach.
 */
final class MBeanServerListenerCleanup extends AbstractJolokiaService<JolokiaService.Init> implements JolokiaService.Init {

    MBeanServerListenerCleanup() {
        super(JolokiaService.Init.class, 0);
    }

    @Override
    public void destroy() throws Exception {
        MBeanServerAccess access = getJolokiaContext() == null ? null : getJolokiaContext().getMBeanServerAccess();
        if (access instanceof DefaultMBeanServerAccess) {
            // Ignores listeners that are already gone.
            ((DefaultMBeanServerAccess) access).unregisterFromMBeanNotifications();
        }
        super.destroy();
    }
}
