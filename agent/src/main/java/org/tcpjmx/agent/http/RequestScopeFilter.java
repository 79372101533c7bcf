package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import org.tcpjmx.jmx.RequestScope;

/**
 * Serves each HTTP exchange in one {@link RequestScope}: Jolokia reads a whole MBean, a pattern
 * such as {@code org.tcpjmx:*} or a bulk request one attribute at a time, and within the scope
 * all those reads share one snapshot of the socket table (one kernel walk per request).
 */
final class RequestScopeFilter extends Filter {
    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        try (RequestScope scope = RequestScope.open()) {
            chain.doFilter(exchange);
        }
    }

    @Override
    public String description() {
        return "tcpjmx: one snapshot of the socket table per request";
    }
}
