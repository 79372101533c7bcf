package org.tcpjmx.model;

import java.util.Objects;

/**
 * What the kernel answered when asked to destroy one socket, or to reset one of this JVM's own:
 * the platform's answer in the model's terms, so that callers never interpret an errno.
 *
 * @param kind what happened
 * @param detail for people: the kernel's own name for a refusal or failure ({@code "EBUSY"}), empty
 *     for {@link Kind#DESTROYED}
 */
public record DestroyResult(Kind kind, String detail) {
    /** What happened to the socket. */
    public enum Kind {
        /** The kernel acknowledged: the socket is destroyed (or reset). */
        DESTROYED,
        /** No such socket any more (or, for a reset, this JVM holds no descriptor on it). */
        GONE,
        /** Refused for lack of privilege (on Linux CAP_NET_ADMIN in the socket's network namespace). */
        NOT_PERMITTED,
        /** The backend cannot name the socket exactly (no socket cookie), so it does not ask the kernel at all. */
        NO_EXACT_ID,
        /** This kernel cannot destroy sockets (on Linux built without CONFIG_INET_DIAG_DESTROY: EOPNOTSUPP). */
        UNSUPPORTED_BY_KERNEL,
        /** This kernel refused for the socket's state (on Linux before 6.0, EINVAL for TIME_WAIT). */
        REFUSED_FOR_STATE,
        /** This JVM cannot make native calls, so it cannot reset even its own descriptor. */
        NO_NATIVE_CALLS,
        /** Anything else; {@link #detail()} says what. */
        FAILED
    }

    /** The acknowledged result. */
    public static final DestroyResult DESTROYED = new DestroyResult(Kind.DESTROYED, "");

    public DestroyResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** A result that is not {@link Kind#DESTROYED}, with the kernel's name for it. */
    public static DestroyResult of(Kind kind, String detail) {
        return kind == Kind.DESTROYED ? DESTROYED : new DestroyResult(kind, detail);
    }

    /** Whether the kernel acknowledged. */
    public boolean destroyed() {
        return kind == Kind.DESTROYED;
    }
}
