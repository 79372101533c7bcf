package org.tcpjmx.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lines of {@code /proc/PID/status} ({@code fs/proc/array.c}) that say who a process is:
 * {@code NSpid} (its pid in each PID namespace it is in, outermost first; Linux 4.1+), and the
 * effective ids of {@code Uid} and {@code Gid} (fields: real, effective, saved, filesystem).
 *
 * @param innerPid its pid in its innermost PID namespace; the outer pid when the kernel has no NSpid
 */
record ProcPidStatus(long innerPid, int uid, int gid) {
    private static final int EFFECTIVE = 1;
    /** A status file is a few kB; more is not one. */
    private static final long MAX_BYTES = 64 * 1024;

    /** Reads {@code /proc/PID/status}. */
    static ProcPidStatus read(Path procPid, long pid) throws IOException {
        Path file = procPid.resolve("status");
        byte[] bytes;
        try (var in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_BYTES);
        }
        return parse(new String(bytes, StandardCharsets.US_ASCII), pid);
    }

    /**
     * Parses the text of a status file of process {@code pid} (its pid as we see it).
     *
     * @throws IllegalArgumentException when Uid or Gid is missing or malformed
     */
    static ProcPidStatus parse(String text, long pid) {
        long inner = pid;
        int uid = -1;
        int gid = -1;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String[] fields = line.substring(colon + 1).trim().split("\\s+");
            switch (key) {
                case "NSpid":
                    inner = number(fields[fields.length - 1], line);
                    break;
                case "Uid":
                    uid = (int) id(fields, line);
                    break;
                case "Gid":
                    gid = (int) id(fields, line);
                    break;
                default:
                    break;
            }
        }
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("the status of process " + pid + " has no Uid or Gid line");
        }
        return new ProcPidStatus(inner, uid, gid);
    }

    private static long id(String[] fields, String line) {
        if (fields.length <= EFFECTIVE) {
            throw new IllegalArgumentException("malformed status line '" + line + "': expected real, effective, saved and fs ids");
        }
        return number(fields[EFFECTIVE], line);
    }

    private static long number(String field, String line) {
        try {
            long n = Long.parseLong(field);
            if (n >= 0 && n <= 0xffff_ffffL) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Falls through to the message.
        }
        throw new IllegalArgumentException("malformed status line '" + line + "': '" + field + "' is not an id");
    }
}
