package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenMBeanAttributeInfo;
import javax.management.openmbean.OpenMBeanOperationInfo;
import javax.management.openmbean.OpenMBeanParameterInfo;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularType;
import org.junit.jupiter.api.Test;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * src/docs/mbeans.md cannot go stale: every MBean registered by {@link TcpJmx#register}, each of its
 * attributes, operations (with their parameter names, as {@code name(Type param, ...)}),
 * notification types, and every item of the open types they return (the rows of {@code Connections}
 * and {@code queryWithInfo}, the drop report and its outcomes, the histograms and breakdowns, a
 * notification's userData) is named in that MBean's section of the document. The kernel's counters
 * ({@code Statistics}) depend on the running kernel, so they are checked against the naming rule
 * the document states, and the tunables ({@code Settings}) against src/docs/tunables.md.
 */
class MBeansDocTest {

    private static Path doc(String name) {
        // Surefire runs in mbeans/; the docs live at the repository root.
        Path here = Paths.get("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("src/docs").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("src/docs/" + name + " not found above " + here);
    }

    /** The text under "## org.tcpjmx:type=TYPE" up to the next "## " heading. */
    private static String section(List<String> lines, ObjectName name) {
        String heading = "## " + name;
        int start = lines.indexOf(heading);
        assertTrue(start >= 0, "src/docs/mbeans.md has no section '" + heading + "'");
        StringBuilder text = new StringBuilder();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            text.append(line).append('\n');
        }
        return text.toString();
    }

    private static boolean mentions(String text, String word) {
        return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(word) + "(?![A-Za-z0-9_])").matcher(text).find();
    }

    /** How the document writes a parameter's type: Java's spelling, primitives for the boxed open types. */
    private static String typeName(OpenType<?> t) {
        if (SimpleType.INTEGER.equals(t)) {
            return "int";
        }
        if (SimpleType.LONG.equals(t)) {
            return "long";
        }
        if (SimpleType.BOOLEAN.equals(t)) {
            return "boolean";
        }
        if (SimpleType.STRING.equals(t)) {
            return "String";
        }
        if (SimpleType.DOUBLE.equals(t)) {
            return "double";
        }
        return t.getTypeName();
    }

    /** Every item name inside an open type, through arrays, tables and nested composites. */
    private static void itemNames(OpenType<?> type, Set<String> out) {
        if (type instanceof CompositeType) {
            CompositeType c = (CompositeType) type;
            for (String key : c.keySet()) {
                out.add(key);
                itemNames(c.getType(key), out);
            }
        } else if (type instanceof ArrayType) {
            itemNames(((ArrayType<?>) type).getElementOpenType(), out);
        } else if (type instanceof TabularType) {
            itemNames(((TabularType) type).getRowType(), out);
        }
    }

    @Test
    void everyMBeanAttributeOperationParameterAndFieldIsDocumented() throws Exception {
        List<String> lines = Files.readAllLines(doc("mbeans.md"));
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        List<String> missing = new ArrayList<>();
        try (TcpJmx.Registration r = TcpJmx.register(server, TcpJmxOptions.of(TcpPlatforms.open()))) {
            assertEquals(List.of(TcpJmx.CONNECTIONS, TcpJmx.STATES, TcpJmx.DROP, TcpJmx.STATISTICS, TcpJmx.SETTINGS), r.names());
            for (ObjectName name : r.names()) {
                String text = section(lines, name);
                MBeanInfo info = server.getMBeanInfo(name);
                if (name.equals(TcpJmx.STATISTICS)) {
                    checkCounters(info, text);
                    continue;
                }
                Set<String> words = new LinkedHashSet<>();
                for (MBeanAttributeInfo a : info.getAttributes()) {
                    if (!name.equals(TcpJmx.SETTINGS) || !a.getType().equals(Long.class.getName())
                            && !a.getType().equals(String.class.getName())) {
                        words.add(a.getName());
                    }
                    itemNames(((OpenMBeanAttributeInfo) a).getOpenType(), words);
                }
                for (MBeanOperationInfo o : info.getOperations()) {
                    List<String> params = new ArrayList<>();
                    for (MBeanParameterInfo p : o.getSignature()) {
                        params.add(typeName(((OpenMBeanParameterInfo) p).getOpenType()) + " " + p.getName());
                    }
                    String signature = o.getName() + "(" + String.join(", ", params) + ")";
                    if (!text.contains(signature)) {
                        missing.add(name + ": operation " + signature);
                    }
                    itemNames(((OpenMBeanOperationInfo) o).getReturnOpenType(), words);
                }
                for (MBeanNotificationInfo n : info.getNotifications()) {
                    words.addAll(List.of(n.getNotifTypes()));
                }
                if (name.equals(TcpJmx.STATES)) {
                    itemNames(StatesBean.NOTIFICATION_DATA, words);
                }
                for (String w : words) {
                    if (!mentions(text, w)) {
                        missing.add(name + ": " + w);
                    }
                }
            }
            checkTunables(server.getMBeanInfo(TcpJmx.SETTINGS), missing);
        }
        assertEquals(List.of(), missing, "not named in src/docs/mbeans.md (in the MBean's section)");
    }

    /** "named as nstat names them", gauges as the document lists them. */
    private static void checkCounters(MBeanInfo info, String text) {
        assertTrue(info.getAttributes().length > 10, "the kernel's counters: " + info.getAttributes().length);
        for (MBeanAttributeInfo a : info.getAttributes()) {
            assertTrue(a.getName().matches("Tcp(Ext)?[A-Za-z0-9]+"), "named as nstat names it: " + a.getName());
            assertEquals(Long.class.getName(), a.getType(), a.getName());
            assertFalse(a.isWritable(), a.getName());
            String metricType = (String) a.getDescriptor().getFieldValue("metricType");
            if ("gauge".equals(metricType)) {
                assertTrue(mentions(text, a.getName()), "the gauge " + a.getName() + " is listed in the Statistics section");
            } else {
                assertEquals("counter", metricType, a.getName());
            }
        }
    }

    /** The tunables have their own document, whose table {@code TunablesDocTest} checks against the code. */
    private static void checkTunables(MBeanInfo info, List<String> missing) throws IOException {
        String tunables = Files.readString(doc("tunables.md"));
        for (MBeanAttributeInfo a : info.getAttributes()) {
            if (!a.getName().equals("Tunables") && !tunables.contains("| " + a.getName() + " |")) {
                missing.add(TcpJmx.SETTINGS + ": " + a.getName() + " (in src/docs/tunables.md)");
            }
        }
    }
}
