package org.tcpjmx.jmx;

import java.util.Optional;
import org.tcpjmx.model.SocketOrigin;
import org.tcpjmx.model.TcpConnection;

/**
 * Where this JVM's own sockets were opened, for the {@code origin} and {@code originStack} columns
 * and {@code Connections.byOrigin}. The agent's origin tracking implements it; without the agent
 * (or with tracking off) it is {@link #NONE}, so the MBeans never depend on the agent.
 */
public interface OriginLookup {
    /** Knows no origin. */
    OriginLookup NONE = c -> Optional.empty();

    /**
     * The origin of a socket of the table, when this JVM opened it while tracking was on and still
     * holds it open; empty for every other row.
     */
    Optional<SocketOrigin> originOf(TcpConnection connection);

    /** Whether origins are being recorded now (false: every answer is empty or from before). */
    default boolean tracking() {
        return false;
    }

    /** One line on what is recorded and what was left out (the cap), for messages. */
    default String describe() {
        return tracking() ? "origin tracking on" : "origin tracking off (agent option trackOrigins=true or Agent.TrackOrigins)";
    }
}
