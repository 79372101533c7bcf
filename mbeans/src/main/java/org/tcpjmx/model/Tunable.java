package org.tcpjmx.model;

/**
 * One tcp(4) variable and where the host's kernel keeps its counterpart.
 *
 * @param attribute the attribute name in {@code org.tcpjmx:type=Settings}
 * @param freebsdName the variable under {@code net.inet.tcp} in tcp(4)
 * @param linuxPath the file under {@code /proc/sys}
 * @param field 0 for the whole file, else the 1-based whitespace-separated field
 *     ({@code tcp_wmem} holds min, default and max)
 * @param kind how the value reads
 * @param unit the unit of the Linux value
 * @param description what the Linux value means, and how it differs from FreeBSD's
 */
public record Tunable(String attribute, String freebsdName, String linuxPath, int field, Tunable.Kind kind, String unit,
                      String description) {
    /** Where every {@link #linuxPath()} lies. */
    public static final String PROC_SYS = "/proc/sys/";

    /** How a value reads. */
    public enum Kind {
        /** One integer. */
        NUMBER,
        /** Text: a name or a list of names. */
        TEXT
    }

    public Tunable {
        if (linuxPath == null || !linuxPath.startsWith(PROC_SYS) || field < 0) {
            throw new IllegalArgumentException("bad tunable " + attribute + ": " + linuxPath + " field " + field);
        }
    }

    /** The field as the docs print it: {@code whole}, or the 1-based field number. */
    public String fieldText() {
        return field == 0 ? "whole" : Integer.toString(field);
    }
}
