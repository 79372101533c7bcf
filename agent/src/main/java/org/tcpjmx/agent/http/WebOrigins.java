package org.tcpjmx.agent.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * The web origins the agent admits, exactly as listed (never a wildcard), and the one rule both the
 * agent's filter and Jolokia's origin check (through the restrictor) apply: an {@code Origin} must
 * be listed; a {@code Referer} (sent without {@code Origin} by some browsers and proxies) passes
 * when the origin of its URL is listed. Jolokia hands the restrictor the whole Referer, which no
 * listed origin equals; both checks must agree, or the filter passes what Jolokia then refuses.
 */
final class WebOrigins {
    private final List<String> allowed;

    WebOrigins(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    List<String> allowed() {
        return allowed;
    }

    /** No header: not a browser. {@code "null"} (sandboxed frames, file: pages) names no origin. */
    boolean allows(String originOrReferer) {
        if (originOrReferer == null) {
            return true;
        }
        String v = originOrReferer.trim();
        if (v.equals("null") || v.isEmpty()) {
            return false;
        }
        return allowed.contains(v) || originOf(v).map(allowed::contains).orElse(false);
    }

    /** {@code scheme://host[:port]} of a URL, as a browser writes it in {@code Origin}. */
    static java.util.Optional<String> originOf(String url) {
        try {
            URI r = new URI(url);
            if (r.getScheme() == null || r.getHost() == null || r.getRawUserInfo() != null) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(r.getScheme() + "://" + r.getHost() + (r.getPort() < 0 ? "" : ":" + r.getPort()));
        } catch (URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }
}
