package org.tcpjmx.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.tcpjmx.drop.TcpDropper;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * The drop tests' farm and dropper lifecycle as a JUnit 5 extension
 * ({@code @ExtendWith(LoopbackFarmExtension.class)}). A parameter of a test, lifecycle method or
 * constructor gets:
 * <ul>
 *   <li>{@link TcpPlatform}: the netlink platform, one for the whole run;</li>
 *   <li>{@link LoopbackConnections}: a farm of real loopback connections over that platform;</li>
 *   <li>{@link TcpDropper}: a dropper that sees only that farm's sockets ({@link LoopbackConnections#confined()})
 *       and protects everything that is not the farm's, so a bulk drop of the test can never
 *       reach another process's connection;</li>
 *   <li>{@link AuditLogCapture}: the drop audit log's lines while the scope lasts.</li>
 * </ul>
 * The farm, its dropper and the audit capture belong to the scope that first asked for them: a {@code @BeforeAll}
 * method's to the class, a {@code @BeforeEach} or test method's to that test (which then shares
 * them with its {@code @BeforeEach} methods). JUnit closes them when that scope ends, after
 * its {@code @AfterEach} or {@code @AfterAll} methods, whether the test passed or not.
 */
public final class LoopbackFarmExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LoopbackFarmExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TcpPlatform.class || type == LoopbackConnections.class || type == TcpDropper.class
                || type == AuditLogCapture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        TcpPlatform platform = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("platform", k -> TcpPlatforms.open("netlink"), TcpPlatform.class);
        if (type == TcpPlatform.class) {
            return platform;
        }
        // Looked up through the enclosing scopes first: a test of a class whose @BeforeAll made a farm uses that farm.
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (type == AuditLogCapture.class) {
            return store.getOrComputeIfAbsent("audit", k -> new AuditLogCapture(), AuditLogCapture.class);
        }
        LoopbackConnections farm = store.getOrComputeIfAbsent("farm", k -> new LoopbackConnections(platform), LoopbackConnections.class);
        if (type == LoopbackConnections.class) {
            return farm;
        }
        return store.getOrComputeIfAbsent("dropper", k -> new TcpDropper(farm.confined(), farm.notMine()), TcpDropper.class);
    }
}
