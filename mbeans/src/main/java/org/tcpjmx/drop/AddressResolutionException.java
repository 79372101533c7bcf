package org.tcpjmx.drop;

/**
 * A host name that did not resolve, or not in time. It is an {@link IllegalArgumentException}
 * (the caller gave a name that names nothing), kept apart so that the tcpdrop command can report it
 * as tcpdrop(8) does: an error (exit 1), not a usage error.
 */
public final class AddressResolutionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public AddressResolutionException(String message) {
        super(message);
    }
}
