package org.tcpjmx.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the kernel's TCP counters, the figures {@code netstat -s} and {@code nstat} print: the
 * {@code Tcp:} section of {@code /proc/net/snmp} (RFC 1213's tcp group) and the {@code TcpExt:}
 * section of {@code /proc/net/netstat} (Linux's own counters).
 *
 * <p>Both files hold each section as two lines, a header line of column names and a value line,
 * each starting with the section name and a colon. Counters are named as {@code nstat} names them:
 * section and column run together, {@code TcpActiveOpens}, {@code TcpExtListenOverflows}. Columns
 * the kernel adds in later versions simply appear as new names.
 */
public final class ProcNetSnmpReader {
    /** The section of {@code /proc/net/snmp} read. */
    public static final String TCP_SECTION = "Tcp";
    /** The section of {@code /proc/net/netstat} read. */
    public static final String TCP_EXT_SECTION = "TcpExt";

    private final Path netDir;

    /** Reads this process's network namespace ({@code /proc/net}). */
    public ProcNetSnmpReader() {
        this(Paths.get("/proc/net"));
    }

    /** Reads {@code snmp} and {@code netstat} under another directory (tests use copies). */
    public ProcNetSnmpReader(Path netDir) {
        this.netDir = netDir;
    }

    /**
     * The TCP counters, {@code Tcp*} then {@code TcpExt*}, in the kernel's column order. A missing
     * file contributes no counters (a kernel without {@code /proc/net/netstat} has no TcpExt).
     *
     * @throws IllegalStateException naming the file and line when a section is malformed
     * @throws UncheckedIOException when a file exists but cannot be read
     */
    public Map<String, Long> tcpCounters() {
        Map<String, Long> out = new LinkedHashMap<>();
        readSection(netDir.resolve("snmp"), TCP_SECTION, out);
        readSection(netDir.resolve("netstat"), TCP_EXT_SECTION, out);
        return Collections.unmodifiableMap(out);
    }

    private static void readSection(Path file, String section, Map<String, Long> out) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        parseSection(file.toString(), lines, section, out);
    }

    /**
     * Adds the counters of one section to {@code out}, named section + column.
     *
     * @param source the file name, for messages
     * @param lines the file's lines
     * @param section the section name without its colon ({@code Tcp}, {@code TcpExt})
     * @throws IllegalStateException when a header line has no value line after it, the two lines have
     *     different numbers of fields, a column name is empty or odd, or a value is not a number
     */
    static void parseSection(String source, List<String> lines, String section, Map<String, Long> out) {
        String prefix = section + ":";
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith(prefix)) {
                continue;
            }
            int headerLine = i + 1;
            if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith(prefix)) {
                throw malformed(source, headerLine, "the '" + prefix + "' header line has no '" + prefix
                        + "' value line after it");
            }
            String[] names = fields(lines.get(i), prefix);
            String[] values = fields(lines.get(i + 1), prefix);
            if (names.length != values.length) {
                throw malformed(source, headerLine, "the '" + prefix + "' header names " + names.length
                        + " columns but the value line on line " + (headerLine + 1) + " has " + values.length);
            }
            for (int c = 0; c < names.length; c++) {
                String name = names[c];
                if (!name.matches("[A-Za-z0-9_]+")) {
                    throw malformed(source, headerLine, "column " + (c + 1) + " of '" + prefix + "' has an odd name '"
                            + name + "'");
                }
                out.put(section + name, parseValue(source, headerLine + 1, section + name, values[c]));
            }
            // Skip the value line: a value line never starts a section.
            i++;
        }
    }

    private static String[] fields(String line, String prefix) {
        String rest = line.substring(prefix.length()).trim();
        return rest.isEmpty() ? new String[0] : rest.split("\\s+");
    }

    private static long parseValue(String source, int lineNo, String name, String text) {
        try {
            // Counters are unsigned long in the kernel; only constants such as MaxConn print -1.
            return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw malformed(source, lineNo, "the value of " + name + " is not a number: '" + text + "'");
        }
    }

    private static IllegalStateException malformed(String source, int lineNo, String problem) {
        return new IllegalStateException(source + " line " + lineNo + ": " + problem);
    }
}
