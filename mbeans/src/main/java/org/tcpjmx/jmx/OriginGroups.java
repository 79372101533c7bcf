package org.tcpjmx.jmx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.model.SocketOrigin;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;

/**
 * This JVM's sockets grouped by where they were opened ({@code Connections.byOrigin}): per group the
 * count per state and the age of the oldest socket, most numerous first. Sockets without a known
 * origin share the group whose origin is empty. At most one group per recorded origin, so the
 * answer is bounded by the origin records' cap.
 */
final class OriginGroups {
    static final CompositeType GROUP;
    static final ArrayType<CompositeData[]> TABLE;

    private static final String[] NAMES = {"origin", "count", "states", "oldestOpenedMillis", "oldestAgeMillis", "thread", "originStack"};

    static {
        try {
            GROUP = new CompositeType("org.tcpjmx.OriginGroup", "This JVM's sockets opened at one place in its code",
                    NAMES,
                    new String[] {
                        "The first application frame of the connect or accept; empty for sockets of unknown origin"
                            + " (opened before tracking was on, by native code such as Netty's epoll transport, or not recorded: the cap)",
                        "Sockets in the group",
                        "Count per state, most numerous first, e.g. 'CLOSE_WAIT=312 ESTABLISHED=2'",
                        "When the group's oldest socket was opened, epoch milliseconds; -1 when unknown",
                        "Age of the group's oldest socket, milliseconds; -1 when unknown",
                        "The thread that opened the group's oldest socket; empty when unknown",
                        "The kept frames of the oldest socket's connect or accept, innermost first, separated by '"
                            + ConnectionRows.STACK_SEPARATOR + "'"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.LONG, SimpleType.STRING, SimpleType.LONG, SimpleType.LONG,
                        SimpleType.STRING, SimpleType.STRING});
            TABLE = ArrayType.getArrayType(GROUP);
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<String, Group> groups = new HashMap<>();

    private static final class Group {
        final String origin;
        final Map<TcpState, Long> states = new EnumMap<>(TcpState.class);
        long count;
        SocketOrigin oldest;

        Group(String origin) {
            this.origin = origin;
        }
    }

    /** Counts one of this JVM's sockets. */
    void add(TcpConnection c, Optional<SocketOrigin> origin) {
        String key = origin.map(SocketOrigin::origin).orElse("");
        Group g = groups.computeIfAbsent(key, Group::new);
        g.count++;
        g.states.merge(c.state(), 1L, Long::sum);
        origin.ifPresent(o -> {
            if (g.oldest == null || o.openedMillis() < g.oldest.openedMillis()) {
                g.oldest = o;
            }
        });
    }

    /** The groups, most numerous first (ties: the older first), at most {@code limit} (0 or less: all). */
    List<CompositeData> top(int limit, long nowMillis) {
        List<Group> sorted = new ArrayList<>(groups.values());
        sorted.sort(Comparator.comparingLong((Group g) -> -g.count)
                .thenComparingLong(g -> g.oldest == null ? Long.MAX_VALUE : g.oldest.openedMillis()));
        List<CompositeData> out = new ArrayList<>();
        for (Group g : sorted) {
            if (limit > 0 && out.size() >= limit) {
                break;
            }
            out.add(composite(g, nowMillis));
        }
        return out;
    }

    /** {@code 312 CLOSE_WAIT com.acme.OrderClient.fetch(OrderClient.java:88), oldest 41 min}: one line per group, for notifications. */
    static String line(CompositeData group) {
        String origin = (String) group.get("origin");
        long age = (Long) group.get("oldestAgeMillis");
        return group.get("count") + " (" + group.get("states") + ") " + (origin.isEmpty() ? "of unknown origin" : "from " + origin)
                + (age < 0 ? "" : ", oldest " + (age / 1000) + " s");
    }

    private static CompositeData composite(Group g, long now) {
        String states = g.states.entrySet().stream()
                .sorted(Map.Entry.<TcpState, Long>comparingByValue().reversed())
                .map(e -> e.getKey().name() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        long opened = g.oldest == null ? -1 : g.oldest.openedMillis();
        Object[] values = {g.origin, g.count, states, opened, opened < 0 ? -1L : Math.max(0, now - opened),
            g.oldest == null ? "" : g.oldest.thread(),
            g.oldest == null ? "" : String.join(ConnectionRows.STACK_SEPARATOR, g.oldest.stack())};
        try {
            return new CompositeDataSupport(GROUP, NAMES, values);
        } catch (OpenDataException e) {
            throw new IllegalStateException("origin group does not fit its open type: " + e.getMessage(), e);
        }
    }
}
