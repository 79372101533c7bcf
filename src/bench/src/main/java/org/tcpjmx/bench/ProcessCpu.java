package org.tcpjmx.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * A process's CPU time from {@code /proc/PID/stat} (utime + stime), so the harness can report what
 * an attached agent costs its host as a share of one core over a window.
 */
final class ProcessCpu {
    /** USER_HZ: the unit of utime and stime; 100 on every Linux ABI the JDK runs on ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** utime + stime of {@code pid} so far, in milliseconds. */
    static double millis(long pid) throws IOException {
        String stat = new String(Files.readAllBytes(Paths.get("/proc", Long.toString(pid), "stat")), StandardCharsets.US_ASCII);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IOException("/proc/" + pid + "/stat has no ')' after the command name: " + stat);
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        // After the name: field 3 (state) is f[0], so utime (field 14) is f[11] and stime (15) is f[12].
        if (f.length < 13) {
            throw new IOException("/proc/" + pid + "/stat has " + (f.length + 2) + " fields, fewer than 15: " + stat);
        }
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
    }
}
