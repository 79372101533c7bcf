package org.tcpjmx.agent.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** How {@code states --by-origin} prints {@code Connections.byOrigin}: one line per place in the code. */
final class OriginGroupsView {
    private OriginGroupsView() {
    }

    static void print(List<Map<String, Object>> groups, PrintStream out) {
        out.printf("%6s %8s  %-32s %s%n", "COUNT", "OLDEST", "STATES", "ORIGIN");
        for (Map<String, Object> g : groups) {
            String origin = String.valueOf(g.get("origin"));
            out.printf("%6s %8s  %-32s %s%n", g.get("count"), age(((Number) g.get("oldestAgeMillis")).longValue()), g.get("states"),
                    origin.isEmpty() ? "(unknown: opened before TrackOrigins, by native code, or past the cap)" : origin);
        }
    }

    /** An age as an operator reads it: 45s, 41m, 3h12m, 2d4h; "-" when unknown. */
    static String age(long millis) {
        if (millis < 0) {
            return "-";
        }
        long s = millis / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86400) {
            return s / 3600 + "h" + (s % 3600) / 60 + "m";
        }
        return s / 86400 + "d" + (s % 86400) / 3600 + "h";
    }
}
