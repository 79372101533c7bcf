package org.tcpjmx.agent.cli;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/** Open MBean values as the plain values Jolokia turns them into. */
final class OpenValues {
    private OpenValues() {
    }

    static Object plain(Object value) {
        if (value instanceof CompositeData) {
            CompositeData c = (CompositeData) value;
            Map<String, Object> m = new LinkedHashMap<>();
            for (String key : c.getCompositeType().keySet()) {
                m.put(key, plain(c.get(key)));
            }
            return m;
        }
        if (value instanceof TabularData) {
            List<Object> rows = new ArrayList<>();
            for (Object row : ((TabularData) value).values()) {
                rows.add(plain(row));
            }
            return rows;
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(plain(Array.get(value, i)));
            }
            return list;
        }
        return value;
    }
}
