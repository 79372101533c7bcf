package org.tcpjmx.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jolokia.json.JSONWriter;

/** JSON on stdout, keys in a stable order: the row fields of the MBean contract first, then the rest by name. */
final class JsonOutput {
    /** The row fields in the order the Connections MBean documents them. */
    static final List<String> ROW_ORDER = List.of("localAddress", "localPort", "remoteAddress", "remotePort", "state",
            "family", "recvQ", "sendQ", "uid", "inode", "owned", "stack", "ifindex", "cookie", "timer",
            "timerExpiresMillis", "timerRetransmits", "backend", "firstSeen", "tcpdrop", "hasInfo");

    private JsonOutput() {
    }

    static void print(Object value, PrintStream out) {
        out.println(text(value));
    }

    /** The value as JSON text, keys ordered. */
    static String text(Object value) {
        StringWriter w = new StringWriter();
        try {
            JSONWriter.serialize(ordered(value), w);
        } catch (IOException e) {
            throw new CommandFailure("cannot write JSON: " + e.getMessage(), e);
        }
        return w.toString();
    }

    static Object ordered(Object value) {
        if (value instanceof Map) {
            Map<String, Object> rest = new TreeMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                rest.put(String.valueOf(e.getKey()), ordered(e.getValue()));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (String k : ROW_ORDER) {
                if (rest.containsKey(k)) {
                    out.put(k, rest.remove(k));
                }
            }
            out.putAll(rest);
            return out;
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object o : (List<?>) value) {
                out.add(ordered(o));
            }
            return out;
        }
        return value;
    }
}
