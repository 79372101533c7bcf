package org.tcpjmx.jmx;

import java.util.function.Predicate;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * How {@link TcpJmx#register} sets the MBeans up.
 *
 * @param platform the TCP table and kernel calls to use
 * @param readOnly when true every operation of {@code org.tcpjmx:type=Drop} is refused with a
 *     {@link SecurityException} saying so (Jolokia answers 403 with that message)
 * @param protectedConnection connections that bulk drops ({@code dropAll}, {@code dropState},
 *     {@code dropMatching}, ...) skip and {@code listOnly} does not list: the agent's own management
 *     connections. {@code drop} and {@code dropSpec}, which name one connection exactly, still drop
 *     it, as {@link org.tcpjmx.drop.TcpDropper} does
 * @param answerBudget how much heap the answers may hold at once and how many heavy requests run
 *     at once ({@link AnswerBudget#defaults()}: 10% of the max heap, at most 64 MiB)
 * @param origins where this JVM's own sockets were opened ({@link OriginLookup#NONE} without the agent's tracking)
 */
public record TcpJmxOptions(TcpPlatform platform, boolean readOnly, Predicate<TcpConnection> protectedConnection,
                            AnswerBudget answerBudget, OriginLookup origins) {
    public TcpJmxOptions {
        if (platform == null || protectedConnection == null || answerBudget == null || origins == null) {
            throw new IllegalArgumentException("TcpJmxOptions need a platform, a protectedConnection predicate"
                    + " (use c -> false to protect nothing), an answer budget (AnswerBudget.defaults()) and an origin"
                    + " lookup (OriginLookup.NONE)");
        }
    }

    /** The options without origins. */
    public TcpJmxOptions(TcpPlatform platform, boolean readOnly, Predicate<TcpConnection> protectedConnection,
                         AnswerBudget answerBudget) {
        this(platform, readOnly, protectedConnection, answerBudget, OriginLookup.NONE);
    }

    /** The options with the default answer budget. */
    public TcpJmxOptions(TcpPlatform platform, boolean readOnly, Predicate<TcpConnection> protectedConnection) {
        this(platform, readOnly, protectedConnection, AnswerBudget.defaults());
    }

    /** The platform {@link TcpPlatforms#open()} chooses, drops allowed, nothing protected. */
    public static TcpJmxOptions defaults() {
        return of(TcpPlatforms.open());
    }

    /** The given platform, drops allowed, nothing protected. */
    public static TcpJmxOptions of(TcpPlatform platform) {
        return new TcpJmxOptions(platform, false, c -> false);
    }

    /** The same options with another platform. */
    public TcpJmxOptions withPlatform(TcpPlatform p) {
        return new TcpJmxOptions(p, readOnly, protectedConnection, answerBudget, origins);
    }

    /** The same options, read-only or not. */
    public TcpJmxOptions withReadOnly(boolean ro) {
        return new TcpJmxOptions(platform, ro, protectedConnection, answerBudget, origins);
    }

    /** The same options with another set of protected connections. */
    public TcpJmxOptions withProtectedConnection(Predicate<TcpConnection> p) {
        return new TcpJmxOptions(platform, readOnly, p, answerBudget, origins);
    }

    /** The same options with another answer budget. */
    public TcpJmxOptions withAnswerBudget(AnswerBudget b) {
        return new TcpJmxOptions(platform, readOnly, protectedConnection, b, origins);
    }

    /** The same options with another origin lookup. */
    public TcpJmxOptions withOrigins(OriginLookup o) {
        return new TcpJmxOptions(platform, readOnly, protectedConnection, answerBudget, o);
    }
}
