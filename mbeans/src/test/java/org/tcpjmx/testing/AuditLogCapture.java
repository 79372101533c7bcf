package org.tcpjmx.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.tcpjmx.drop.TcpDropper;

/**
 * The drop audit log as a test sees it: every INFO line written under {@link TcpDropper}'s logger
 * (SLF4J over java.util.logging in tests) while this capture is open, one entry per line of text.
 * {@link LoopbackFarmExtension} gives one to a test that asks, and closes it with the test.
 */
public final class AuditLogCapture implements AutoCloseable {
    private final Logger jul = Logger.getLogger(TcpDropper.class.getName());
    private final List<String> lines = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel() == Level.INFO) {
                synchronized (lines) {
                    lines.addAll(text(r).lines().toList());
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Starts capturing. */
    public AuditLogCapture() {
        jul.addHandler(handler);
    }

    /** The audit lines so far, in the order they were written. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The line of {@code tcpdrop TUPLE [STATE]: ...}, failing the test when there is none. */
    public String lineOf(String tuple) {
        return lines().stream().filter(l -> l.startsWith("tcpdrop " + tuple + " ["))
                .findFirst().orElseThrow(() -> new AssertionError("no audit line for " + tuple + " in " + lines()));
    }

    /** Whether some line names {@code tuple} with {@code status} and {@code reason}. */
    public boolean has(String tuple, String status, String reason) {
        return lines().stream().anyMatch(l -> l.contains(tuple) && l.contains(status) && l.contains(reason));
    }

    @Override
    public void close() {
        jul.removeHandler(handler);
    }

    /** SLF4J hands java.util.logging its "{}" pattern and arguments unformatted. */
    private static String text(LogRecord r) {
        String message = r.getMessage();
        Object[] args = r.getParameters();
        if (args == null) {
            return message;
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (Object arg : args) {
            int at = message.indexOf("{}", from);
            if (at < 0) {
                break;
            }
            out.append(message, from, at).append(arg);
            from = at + 2;
        }
        return out.append(message.substring(from)).toString();
    }
}
