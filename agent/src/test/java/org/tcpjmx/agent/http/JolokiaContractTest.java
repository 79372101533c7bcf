package org.tcpjmx.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Filter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.AgentOptions;

/**
 * Pins what the agent relies on in Jolokia 2.4's JVM agent, so that an upgrade that changes it
 * fails here rather than opening a hole: Jolokia, handed a server, creates every context it serves
 * on that server itself (the agent's filters and authenticator are attached there), at the paths
 * below, and creates no server of its own.
 */
class JolokiaContractTest {

    @Test
    void jolokiaServesOnlyTheseContextsAndAllOfThemCarryTheAgentsFilterAndAuthenticator() {
        try (JolokiaEndpoint e = JolokiaEndpoint.start(AgentOptions.parse("port=0,user=ops,password=s3cret"))) {
            BoundedHttpServer server = e.server();
            // Jolokia 2.4.3: these two; a later one adds /favicon.ico, which the check below then covers too.
            assertEquals(List.of("/jolokia/config", "/jolokia"), server.contextPaths());
            for (String path : List.of("/jolokia", "/jolokia/read/x", "/jolokia/config", "/jolokia/config/read/x")) {
                AgentHttpContext c = server.contextFor(path).orElseThrow(() -> new AssertionError("no context serves " + path));
                List<Filter> filters = c.getFilters();
                assertTrue(filters.stream().anyMatch(f -> f instanceof RequestGuardFilter), path + ": " + filters);
                assertTrue(c.getAuthenticator() instanceof BasicCredentials, path + ": " + c.getAuthenticator());
            }
            assertTrue(server.contextFor("/other").isEmpty(), "nothing else is served");
            assertEquals(e.address(), server.getAddress());
            assertTrue(e.url().startsWith("http://127.0.0.1:" + e.address().getPort() + "/jolokia"), e.url());
        }
    }
}
