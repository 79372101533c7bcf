package org.tcpjmx.model;

import java.util.Objects;

/**
 * Who asked for an operation and through which surface, as audit lines name it: for instance
 * {@code jolokia user=alice from 10.0.0.7:51234}, {@code jmx-rmi from 127.0.0.1}, {@code cli local}.
 *
 * @param surface the way in: {@code jolokia}, {@code jmx-rmi}, {@code jmx-local}, {@code cli}, ...
 * @param identity who, as far as that surface knows: principal, remote address and port; never empty
 */
public record Requester(String surface, String identity) {
    /** An in-process caller that no surface described (the embedding application, a test). */
    public static final Requester IN_PROCESS = new Requester("jmx-local", "in-process caller");

    public Requester {
        Objects.requireNonNull(surface, "surface");
        Objects.requireNonNull(identity, "identity");
        if (surface.isBlank() || identity.isBlank()) {
            throw new IllegalArgumentException("a requester needs a surface and an identity, got '" + surface + "' '" + identity + "'");
        }
    }

    /** The phrase audit lines carry: {@code by SURFACE IDENTITY}. */
    public String describe() {
        return surface + " " + identity;
    }
}
