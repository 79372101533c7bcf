package org.tcpjmx.drop;

/** What happened to one connection a drop was asked for. */
public enum DropStatus {
    /** The kernel destroyed the socket (or reset this JVM's own socket) and a fresh lookup no longer finds it alive. */
    DROPPED,
    /** No such connection (or it went away before the drop). */
    NOT_FOUND,
    /** The kernel refused: CAP_NET_ADMIN is needed in the socket's network namespace. */
    PERMISSION_DENIED,
    /** The kernel cannot do it: no CONFIG_INET_DIAG_DESTROY, a state it cannot destroy, or a backend without cookies. */
    UNSUPPORTED,
    /** Not attempted on purpose: a listener, a protected (management) connection, or a read-only agent. */
    REFUSED,
    /** Anything else, including a kernel that answered success and left the socket alive. */
    FAILED
}
