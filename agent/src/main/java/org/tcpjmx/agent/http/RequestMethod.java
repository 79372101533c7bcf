package org.tcpjmx.agent.http;

/**
 * The HTTP method of the request the current thread is serving, so that the Jolokia restrictor,
 * which Jolokia asks per operation without saying how the request came, can allow {@code exec} and
 * {@code write} only for POST. {@link RequestGuardFilter} sets it around every request; the
 * {@code com.sun.net.httpserver} executor runs the filter chain and Jolokia's handler on one thread.
 */
final class RequestMethod {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private RequestMethod() {
    }

    static void set(String method) {
        CURRENT.set(method);
    }

    static void clear() {
        CURRENT.remove();
    }

    /** True only inside a POST request; false outside any request, which denies by default. */
    static boolean isPost() {
        return "POST".equalsIgnoreCase(CURRENT.get());
    }
}
