package org.tcpjmx.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackFarmExtension;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * "An operator lists what {@code tcpdrop -l} would drop, edits the list, and runs it": the lines are
 * tcpdrop invocations, byte for byte, and feeding them back drops exactly those connections, as
 * {@code tcpdrop -l -a | grep -vw 22 | sh} does in tcpdrop(8).
 */
@ExtendWith(LoopbackFarmExtension.class)
class TcpdropListRoundTripTest {
    private static final Pattern LINE = Pattern.compile("tcpdrop [0-9a-f.:]+ [0-9]{1,5} [0-9a-f.:]+ [0-9]{1,5}");
    private static TcpPlatform platform;
    private LoopbackConnections farm;
    private TcpDropper dropper;

    @BeforeAll
    static void openPlatform(TcpPlatform netlink) {
        platform = netlink;
    }

    @BeforeEach
    void openFarm(LoopbackConnections farm, TcpDropper confined) {
        this.farm = farm;
        dropper = confined;
    }

    @Test
    void listPrintsOneInvocationPerConnectionByteForByteAndDropsNothing() {
        Pair v4 = farm.established(Flavor.IPV4);
        Pair v6 = farm.established(Flavor.IPV6);
        Pair mapped = farm.established(Flavor.V4_MAPPED);
        Pair tw = farm.timeWait(Flavor.IPV4);
        Pair cw = farm.closeWait(Flavor.IPV6);
        List<String> before = farm.snapshot();

        CommandRun all = CommandRun.run(dropper, "-l", "-a");

        int l4 = v4.listenerPort();
        int l6 = v6.listenerPort();
        int lm = mapped.listenerPort();
        List<String> expected = Stream.of(
                "tcpdrop 127.0.0.1 " + v4.clientPort() + " 127.0.0.1 " + l4,
                "tcpdrop 127.0.0.1 " + l4 + " 127.0.0.1 " + v4.clientPort(),
                "tcpdrop ::1 " + v6.clientPort() + " ::1 " + l6,
                "tcpdrop ::1 " + l6 + " ::1 " + v6.clientPort(),
                "tcpdrop ::ffff:127.0.0.1 " + mapped.clientPort() + " ::ffff:127.0.0.1 " + lm,
                "tcpdrop ::ffff:127.0.0.1 " + lm + " ::ffff:127.0.0.1 " + mapped.clientPort(),
                "tcpdrop 127.0.0.1 " + tw.clientPort() + " 127.0.0.1 " + l4,
                "tcpdrop ::1 " + cw.clientPort() + " ::1 " + l6,
                "tcpdrop ::1 " + l6 + " ::1 " + cw.clientPort()).sorted().toList();
        assertEquals(0, all.status(), all.toString());
        assertEquals("", all.err());
        assertTrue(all.out().endsWith("\n"), "every line ends with a newline");
        String[] lines = all.out().substring(0, all.out().length() - 1).split("\n", -1);
        for (String line : lines) {
            assertTrue(LINE.matcher(line).matches(), "'" + line + "' is exactly 'tcpdrop LADDR LPORT FADDR FPORT'");
        }
        assertEquals(expected, Arrays.stream(lines).sorted().toList());
        // Same bytes, whatever order the kernel lists them in: nothing but these lines and their newlines.
        assertEquals(expected.stream().mapToInt(l -> l.length() + 1).sum(), all.out().getBytes(java.nio.charset.StandardCharsets.US_ASCII).length);
        assertEquals(before, farm.snapshot(), "-l drops nothing");

        CommandRun combined = CommandRun.run(dropper, "-la");
        assertEquals(all.sortedOutLines(), combined.sortedOutLines(), "-la is -l -a");

        assertEquals(new CommandRun(0, "tcpdrop 127.0.0.1 " + tw.clientPort() + " 127.0.0.1 " + l4 + "\n", ""),
                CommandRun.run(dropper, "-l", "-s", "TIME_WAIT"));
        assertEquals(new CommandRun(0, "tcpdrop ::1 " + l6 + " ::1 " + cw.clientPort() + "\n", ""),
                CommandRun.run(dropper, "-l", "-s", "close-wait"));
        assertEquals(before, farm.snapshot(), "-l drops nothing");
    }

    @Test
    void theListedLinesFedBackDropEverythingButWhatGrepRemoved() {
        Pair keep = farm.established(Flavor.IPV4);
        Pair v6 = farm.established(Flavor.IPV6);
        Pair mapped = farm.established(Flavor.V4_MAPPED);
        Pair tw = farm.timeWait(Flavor.IPV4);
        Pair cw = farm.closeWait(Flavor.IPV6);
        int port = keep.clientPort();

        // tcpdrop -l -a | grep -vw PORT | sh, with each line run through the command line.
        CommandRun listed = CommandRun.run(dropper, "-l", "-a");
        assertEquals(0, listed.status(), listed.toString());
        Pattern word = Pattern.compile("(^|[^A-Za-z0-9_])" + port + "($|[^A-Za-z0-9_])");
        List<String> script = Arrays.stream(listed.out().split("\n")).filter(l -> !word.matcher(l).find()).toList();
        assertEquals(listed.sortedOutLines().size() - 2, script.size(), "grep removed both ends of the kept connection");

        Set<String> dropped = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (String line : script) {
            String[] argv = line.split(" ");
            assertEquals("tcpdrop", argv[0]);
            String tuple = line.substring("tcpdrop ".length());
            CommandRun r = CommandRun.run(dropper, Arrays.copyOfRange(argv, 1, argv.length));
            if (r.status() == 0 && r.out().equals(tuple + ": dropped\n") && r.err().isEmpty()) {
                dropped.add(tuple);
            } else if (r.status() == 1 && r.err().equals("tcpdrop: " + tuple + ": no such connection\n")
                    && dropped.contains(reversed(tuple))) {
                // The peer end went with the end dropped before it, as it would under sh.
                continue;
            } else {
                problems.add(line + " -> " + r);
            }
        }
        assertEquals(List.of(), problems);

        List<TcpConnection> left = farm.table();
        assertEquals(2, left.stream().filter(c -> keep.isEitherEnd(c) && c.state() == TcpState.ESTABLISHED).count(),
                "the connection grep removed from the list is alive: " + left);
        assertTrue(left.stream().allMatch(keep::isEitherEnd), "everything else is gone: " + left);
        assertFalse(dropped.isEmpty());
        assertTrue(dropped.contains(tw.clientTuple()), "the TIME_WAIT entry was among them");
        assertTrue(Stream.of(v6, mapped, cw).allMatch(p -> dropped.contains(p.clientTuple()) || dropped.contains(p.serverTuple())));
    }

    private static String reversed(String tuple) {
        String[] t = tuple.split(" ");
        return t[2] + " " + t[3] + " " + t[0] + " " + t[1];
    }
}
