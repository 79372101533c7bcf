package org.tcpjmx.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kernel's counters as the platform reads them are /proc/net/sockstat's and {@code ss -s}'s,
 * read in the same run, and they count the sockets a probe built: in a network namespace of the
 * test's own, where nothing else opens a socket while they are compared (the counters this compares
 * are the namespace's own).
 */
class SocketCountersTest {
    private static final Pattern PAIR = Pattern.compile("(\\w+) (-?\\d+)");

    @Test
    void theCountersAreSockstatsAndSsSAndCountWhatWasBuilt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "skipped: unshare(1) is not installed");
        Process check = new ProcessBuilder("unshare", "--net", "true").redirectErrorStream(true).start();
        String why = new String(check.getInputStream().readAllBytes());
        assumeTrue(check.waitFor() == 0, "skipped: cannot create a network namespace here (needs CAP_SYS_ADMIN): " + why);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("unshare", "--net", "sh", "-c",
                "ip link set lo up && exec \"$0\" -cp \"$1\" org.tcpjmx.platform.SocketCountersProbe", java,
                System.getProperty("java.class.path")).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().collect(Collectors.toList());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, p.exitValue(), String.join("\n", lines));

        String[] c = line(lines, "COUNTERS ").split(" ");
        long inUse4 = Long.parseLong(c[0]);
        long inUse6 = Long.parseLong(c[1]);
        long tw = Long.parseLong(c[2]);
        long sockets = Long.parseLong(c[3]);

        Map<String, Long> tcp = pairs(line(lines, "FILE TCP: "));
        Map<String, Long> tcp6 = pairs(line(lines, "FILE TCP6: "));
        assertEquals(tcp.get("inuse"), inUse4, "sockstat TCP inuse");
        assertEquals(tcp6.get("inuse"), inUse6, "sockstat6 TCP6 inuse");
        assertEquals(tcp.get("tw"), tw, "sockstat tw");

        // ss -s: "TCP:   N (estab E, closed C, orphaned O, timewait T)" and the "TCP  total IP IPv6" row.
        Matcher summary = Pattern.compile("timewait (\\d+)\\)").matcher(line(lines, "SS TCP: "));
        assertTrue(summary.find(), lines.toString());
        assertEquals(tw, Long.parseLong(summary.group(1)), "ss -s timewait");
        String[] transport = line(lines, "SS TCP\t").trim().split("\\s+");
        assertEquals(List.of(inUse4 + inUse6, inUse4, inUse6),
                List.of(Long.parseLong(transport[0]), Long.parseLong(transport[1]), Long.parseLong(transport[2])),
                "ss -s TCP row (total, IP, IPv6): " + String.join(" ", transport));

        // What the probe built: listeners on 127.0.0.1, ::1 and ::ffff:127.0.0.1; 3 + 1 + 1 IPv4 pairs
        // (established, CLOSE_WAIT/FIN_WAIT_2, and one whose FIN_WAIT_2 end was closed); 2 ::1 pairs and
        // one IPv4-mapped pair; TIME_WAIT: two IPv4, one IPv6.
        assertEquals(1 + 6 + 2 + 1, inUse4, "IPv4: the listener, 3 pairs, a CLOSE_WAIT pair and the open end of the closed one");
        assertEquals(2 + 4 + 2, inUse6, "IPv6: two listeners, 2 ::1 pairs, one mapped pair");
        assertEquals(3 + 1, tw, "three TIME_WAIT entries and the closed FIN_WAIT_2 end");
        assertEquals(3, table(lines, "TIME_WAIT"), "the table shows the closed FIN_WAIT_2 end as FIN_WAIT_2");
        assertEquals(2, table(lines, "FIN_WAIT_2"));
        long tableTotal = lines.stream().filter(l -> l.startsWith("TABLE ")).mapToLong(l -> Long.parseLong(l.split(" ")[2])).sum();
        assertEquals(tableTotal, sockets, "no half-open requests here: the counters' sockets are the table's");

        assertEquals("JMX Count " + sockets, line(lines, "JMX Count"));
        assertEquals("JMX TimeWait " + tw, line(lines, "JMX TimeWait"));
        assertEquals("JMX walks 0", line(lines, "JMX walks"), "neither walked the table");
        assertEquals("AFTER " + sockets, line(lines, "AFTER "), "nothing changed while the figures were compared");
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "' in " + lines))
                .substring(prefix.startsWith("JMX") || prefix.startsWith("AFTER") ? 0 : prefix.length());
    }

    private static Map<String, Long> pairs(String text) {
        Map<String, Long> out = new HashMap<>();
        Matcher m = PAIR.matcher(text);
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    private static long table(List<String> lines, String state) {
        return Long.parseLong(line(lines, "TABLE " + state + " "));
    }
}
