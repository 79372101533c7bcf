package org.tcpjmx.agent.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tcpjmx.model.TcpState;

/** Rows of the Connections MBean printed as {@code ss -tan} (and {@code ss -tani}) print them. */
final class TableFormat {
    private TableFormat() {
    }

    /** Column widths every page starts from, so pages printed one after another mostly line up. */
    private static final int[] MIN_WIDTH = {10, 6, 6, 21, 21, 0};

    static void print(List<Map<String, Object>> rows, boolean info, PrintStream out) {
        print(rows, info, false, out);
    }

    static void print(List<Map<String, Object>> rows, boolean info, boolean memory, PrintStream out) {
        print(rows, info, memory, false, out);
    }

    static void print(List<Map<String, Object>> rows, boolean info, boolean memory, boolean processes, PrintStream out) {
        print(rows, info, memory, processes, true, out);
    }

    /** One page of rows; the header only when asked (the first page). */
    static void print(List<Map<String, Object>> rows, boolean info, boolean memory, boolean processes, boolean header,
                      PrintStream out) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port", processes ? "Process" : ""});
        for (Map<String, Object> r : rows) {
            lines.add(new String[] {
                ssState(text(r, "state")),
                text(r, "recvQ"),
                text(r, "sendQ"),
                endpoint(text(r, "localAddress"), text(r, "localPort")),
                endpoint(text(r, "remoteAddress"), text(r, "remotePort")),
                processes ? process(r) : ""});
        }
        int[] width = MIN_WIDTH.clone();
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        for (int n = header ? 0 : 1; n < lines.size(); n++) {
            String[] l = lines.get(n);
            String line = String.format("%-" + width[0] + "s %" + width[1] + "s %" + width[2] + "s %" + width[3] + "s %-"
                    + width[4] + "s %s", (Object[]) l);
            out.println(processes ? line : line.substring(0, line.length() - 1));
            if ((info || memory) && n > 0) {
                String extra = (memory ? memoryLine(rows.get(n - 1)) + " " : "") + (info ? infoLine(rows.get(n - 1)) : "");
                out.println("\t " + extra.trim());
            }
        }
    }

    /** ss's spelling: ESTAB, TIME-WAIT, SYN-RECV, ... */
    static String ssState(String tcpdropName) {
        try {
            return TcpState.parse(tcpdropName).ssName().toUpperCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return tcpdropName;
        }
    }

    static String endpoint(String address, String port) {
        String a = address.contains(":") ? "[" + address + "]" : address;
        return a + ":" + ("0".equals(port) ? "*" : port);
    }

    /** ss -p's {@code users:(("java",pid=4711))}, or nothing for a socket no process holds. */
    static String process(Map<String, Object> r) {
        long pid = number(r, "pid");
        return pid <= 0 ? "" : "users:((\"" + text(r, "command") + "\",pid=" + pid + "))";
    }

    /** ss -m's {@code skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0)}, or nothing for a row without memory. */
    static String memoryLine(Map<String, Object> r) {
        if (!Boolean.TRUE.equals(r.get("hasMemory"))) {
            return "";
        }
        return "skmem:(r" + number(r, "rmem_alloc") + ",rb" + number(r, "rcvbuf") + ",t" + number(r, "wmem_alloc")
                + ",tb" + number(r, "sndbuf") + ",f" + number(r, "fwd_alloc") + ",w" + number(r, "wmem_queued")
                + ",o" + number(r, "optmem") + ",bl" + number(r, "backlog") + ",d" + number(r, "drops") + ")";
    }

    /** The tcp_info figures in ss -i's words, for rows that have them. */
    static String infoLine(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        String stack = text(r, "stack");
        if (!stack.isEmpty()) {
            sb.append(stack);
        }
        if (!Boolean.TRUE.equals(r.get("hasInfo"))) {
            return sb.length() == 0 ? "(no tcp_info)" : sb.toString();
        }
        millis(sb, "rto", r, "rtoMicros");
        long rtt = number(r, "rttMicros");
        if (rtt > 0) {
            sb.append(" rtt:").append(ms(rtt)).append('/').append(ms(number(r, "rttVarMicros")));
        }
        field(sb, "mss", r, "sndMss");
        field(sb, "pmtu", r, "pmtu");
        field(sb, "rcvmss", r, "rcvMss");
        field(sb, "cwnd", r, "sndCwnd");
        long ssthresh = number(r, "sndSsthresh");
        // The kernel reports "infinite" (0x7fffffff) until the first loss; ss leaves it out too.
        if (ssthresh > 0 && ssthresh < Integer.MAX_VALUE) {
            sb.append(" ssthresh:").append(ssthresh);
        }
        field(sb, "bytes_sent", r, "bytesSent");
        field(sb, "bytes_retrans", r, "bytesRetrans");
        field(sb, "bytes_acked", r, "bytesAcked");
        field(sb, "bytes_received", r, "bytesReceived");
        field(sb, "segs_out", r, "segsOut");
        field(sb, "segs_in", r, "segsIn");
        field(sb, "lastsnd", r, "lastDataSentMillis");
        field(sb, "lastrcv", r, "lastDataRecvMillis");
        field(sb, "lastack", r, "lastAckRecvMillis");
        long rate = number(r, "deliveryRate");
        if (rate > 0) {
            sb.append(" delivery_rate:").append(rate * 8).append("bps");
        }
        long retrans = number(r, "retrans");
        long total = number(r, "totalRetrans");
        if (total > 0) {
            sb.append(" retrans:").append(Math.max(retrans, 0)).append('/').append(total);
        }
        field(sb, "unacked", r, "unacked");
        long lost = number(r, "lost");
        if (lost > 0) {
            sb.append(" lost:").append(lost);
        }
        field(sb, "notsent", r, "notsentBytes");
        return sb.toString().trim();
    }

    private static void field(StringBuilder sb, String label, Map<String, Object> r, String key) {
        long v = number(r, key);
        if (v > 0) {
            sb.append(' ').append(label).append(':').append(v);
        }
    }

    private static void millis(StringBuilder sb, String label, Map<String, Object> r, String key) {
        long v = number(r, key);
        if (v > 0) {
            sb.append(' ').append(label).append(':').append(ms(v));
        }
    }

    private static String ms(long micros) {
        return micros % 1000 == 0 ? Long.toString(micros / 1000) : String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    private static long number(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v instanceof Number ? ((Number) v).longValue() : -1;
    }

    private static String text(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v == null ? "" : String.valueOf(v);
    }
}
