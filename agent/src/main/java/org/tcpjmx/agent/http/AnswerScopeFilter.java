package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import org.tcpjmx.jmx.AnswerBudget;

/**
 * Holds the answer budget reserved by the MBeans a request calls until the whole exchange has been
 * handled, Jolokia's serialization of the answer and its writing included: the MBean call returns
 * before its rows have become JSON, and those rows are what the budget bounds.
 */
final class AnswerScopeFilter extends Filter {
    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        try (AnswerBudget.Scope scope = AnswerBudget.requestScope()) {
            chain.doFilter(exchange);
        }
    }

    @Override
    public String description() {
        return "tcpjmx answer budget: reservations last until the answer is written";
    }
}
