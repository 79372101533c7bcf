package org.tcpjmx.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.linux.InetDiagBytecode;
import org.tcpjmx.linux.LinuxFuzzAccess;
import org.tcpjmx.linux.MalformedNetlinkException;
import org.tcpjmx.linux.NetlinkException;
import org.tcpjmx.model.IpFamily;

/**
 * Random, truncated and corrupted input for the netlink parser, the /proc parser and the filter
 * parser: every input ends in a result or a clear exception, never another exception or a hang.
 * Runs {@value #DEFAULT_SECONDS} s per parser by default; {@code -Dtcpjmx.fuzz.seconds=600} runs
 * longer, {@code -Dtcpjmx.fuzz.seed=N} replays a seed (printed at the start).
 */
class ParserFuzzTest {
    static final int DEFAULT_SECONDS = 3;
    private static final long SEED = Long.getLong("tcpjmx.fuzz.seed", System.nanoTime());
    private static final long SECONDS = Long.getLong("tcpjmx.fuzz.seconds", DEFAULT_SECONDS);
    /** A hang, not a speed check: generous on a loaded 2-core machine. */
    private static final Duration HANG = Duration.ofSeconds(SECONDS * 10 + 60);

    @Test
    void netlinkParserOnlyEverReturnsRowsOrMalformedOrNetlinkErrors() {
        System.out.println("netlink fuzz seed " + SEED + ", " + SECONDS + " s");
        Random rnd = new Random(SEED);
        long[] counts = new long[3];
        assertTimeoutPreemptively(HANG, () -> {
            long end = System.nanoTime() + SECONDS * 1_000_000_000L;
            while (System.nanoTime() < end) {
                byte[] d = mutate(rnd, validDatagram(rnd));
                try {
                    counts[0] += LinuxFuzzAccess.parseDatagram(ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()));
                    counts[1]++;
                } catch (MalformedNetlinkException | NetlinkException e) {
                    counts[2]++;
                    assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
                } catch (RuntimeException e) {
                    fail("input " + hex(d) + " threw " + e, e);
                }
            }
        });
        System.out.println("netlink fuzz: " + counts[1] + " parsed (" + counts[0] + " rows), " + counts[2] + " rejected");
        assertTrue(counts[1] > 0 && counts[2] > 0, "the generator reaches both outcomes");
    }

    @Test
    void procNetTcpParserOnlyEverReturnsRowsOrIllegalArgument() {
        Random rnd = new Random(SEED + 1);
        String[] good = {
            "   0: 0100007F:1F90 0900000A:C738 01 00000010:00000020 02:0000012C 00000003  1000        0 4242 1 0000000000000000 20 4 30 10 -1",
            "   1: 0100007F:0016 0900000A:C738 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000"};
        String alphabet = "0123456789ABCDEFabcdef: -xG\t";
        long[] counts = new long[2];
        assertTimeoutPreemptively(HANG, () -> {
            long end = System.nanoTime() + SECONDS * 1_000_000_000L;
            while (System.nanoTime() < end) {
                StringBuilder line = new StringBuilder(good[rnd.nextInt(good.length)]);
                int edits = 1 + rnd.nextInt(4);
                for (int i = 0; i < edits && line.length() > 0; i++) {
                    int at = rnd.nextInt(line.length());
                    switch (rnd.nextInt(3)) {
                        case 0: line.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length()))); break;
                        case 1: line.deleteCharAt(at); break;
                        default: line.setLength(at); break;
                    }
                }
                try {
                    LinuxFuzzAccess.parseProcLine(IpFamily.INET4, line.toString(), Path.of("/proc/net/tcp"));
                    counts[0]++;
                } catch (IllegalArgumentException e) {
                    counts[1]++;
                    assertTrue(e.getMessage().contains("/proc/net/tcp line"), e.getMessage());
                } catch (RuntimeException e) {
                    fail("line '" + line + "' threw " + e, e);
                }
            }
        });
        System.out.println("/proc fuzz: " + counts[0] + " parsed, " + counts[1] + " rejected");
        assertTrue(counts[0] > 0 && counts[1] > 0);
    }

    @Test
    void filterParserAndKernelCompilerNeverFailOtherThanWithAClearMessage() {
        Random rnd = new Random(SEED + 2);
        String[] words = {"state", "exclude", "established", "time-wait", "TIME_WAIT", "connected", "bucket", "all",
            "sport", "dport", "src", "dst", "=", "!=", "<", ">=", "gt", "le", ":80", "8080", "99999", "127.0.0.1",
            "10.0.0.0/8", "[::1]", "[::1]:22", "::ffff:1.2.3.4", "*:443", "and", "or", "not", "!", "(", ")", "&&",
            "||", "owned", "stack", "bbr", "cubic", "x", "", "[", "/33"};
        long[] counts = new long[2];
        assertTimeoutPreemptively(HANG, () -> {
            long end = System.nanoTime() + SECONDS * 1_000_000_000L;
            while (System.nanoTime() < end) {
                StringBuilder f = new StringBuilder();
                int n = rnd.nextInt(12);
                for (int i = 0; i < n; i++) {
                    f.append(words[rnd.nextInt(words.length)]).append(rnd.nextInt(4) == 0 ? "" : " ");
                }
                try {
                    Filter parsed = FilterParser.parse(f.toString());
                    InetDiagBytecode.Plan plan = InetDiagBytecode.plan(parsed);
                    assertTrue(plan.bytecode().length % 4 == 0, "bytecode is made of 4-byte ops: " + f);
                    counts[0]++;
                } catch (IllegalArgumentException e) {
                    counts[1]++;
                    assertTrue(e.getMessage().startsWith("filter '"), e.getMessage());
                } catch (RuntimeException e) {
                    fail("filter '" + f + "' threw " + e, e);
                }
            }
        });
        System.out.println("filter fuzz: " + counts[0] + " parsed, " + counts[1] + " rejected");
        assertTrue(counts[0] > 0 && counts[1] > 0);
    }

    @Test
    void theKernelAcceptsEveryBytecodeWeCompileAndAgreesWithJava() throws Exception {
        // The kernel audits bytecode (inet_diag_bc_audit) and answers EINVAL for a bad program: an oracle.
        // Each random filter is and'ed with this test's own ports, so the host's other sockets
        // (100,000 of them during a benchmark) neither slow the test nor change under it.
        Random rnd = new Random(SEED + 3);
        var platform = org.tcpjmx.platform.TcpPlatforms.open("netlink");
        try (var v6 = new java.net.ServerSocket(0, 10, java.net.InetAddress.getByName("::1"));
             var dual = new java.net.ServerSocket(0, 10, java.net.InetAddress.getByName("::"));
             var c1 = new java.net.Socket("::1", v6.getLocalPort());
             var s1 = v6.accept();
             var c2 = new java.net.Socket("127.0.0.1", dual.getLocalPort());
             var s2 = dual.accept()) {
            int[] ports = {v6.getLocalPort(), dual.getLocalPort(), c1.getLocalPort(), c2.getLocalPort()};
            // By the listeners' addresses and ports: the ::1 one, and the dual-stack one with its IPv4-mapped connection.
            Filter ours = FilterParser.parse("src [::1]:" + ports[0] + " or dst [::1]:" + ports[0]
                    + " or src [::]:" + ports[1] + " or src 127.0.0.1:" + ports[1] + " or dst 127.0.0.1:" + ports[1]);
            var mine = platform.connections(ours, false);
            assertEquals(6, mine.size(), "two listeners and two connections: " + mine);
            int matchedSomething = 0;
            for (int i = 0; i < 150; i++) {
                Filter f = randomKernelFilter(rnd, 3, ports);
                Filter both = new Filter.And(ours, f);
                assertTrue(InetDiagBytecode.plan(both).exact(), "ports and hosts compile exactly: " + f);
                java.util.Set<String> kernel = new java.util.TreeSet<>();
                platform.forEach(both, false, c -> kernel.add(c.toString()));
                java.util.Set<String> java = new java.util.TreeSet<>();
                mine.stream().filter(f::test).forEach(c -> java.add(c.toString()));
                assertEquals(java, kernel, "filter " + f);
                if (!kernel.isEmpty()) {
                    matchedSomething++;
                }
            }
            assertTrue(matchedSomething > 10, "the generator picks this test's ports often enough: " + matchedSomething);
        }
    }

    private static Filter randomKernelFilter(Random rnd, int depth, int[] ports) {
        int pick = depth == 0 ? rnd.nextInt(2) : rnd.nextInt(5);
        Filter.Side side = rnd.nextBoolean() ? Filter.Side.SOURCE : Filter.Side.DESTINATION;
        switch (pick) {
            case 0:
                return new Filter.Port(side, Filter.Comparison.values()[rnd.nextInt(6)], randomPort(rnd, ports));
            case 1: {
                byte[][] addrs = {{127, 0, 0, 1}, {127, 0, 0, 0}, new byte[16], {0, 0, 0, 0}, new byte[0]};
                byte[] a = addrs[rnd.nextInt(addrs.length)].clone();
                if (a.length == 16) {
                    a[15] = 1;
                }
                int prefix = a.length == 0 ? 0 : rnd.nextInt(a.length * 8 + 1);
                return new Filter.Host(side, a, prefix, rnd.nextInt(3) == 0 ? randomPort(rnd, ports) : -1);
            }
            case 2:
                return new Filter.Not(randomKernelFilter(rnd, depth - 1, ports));
            case 3:
                return new Filter.And(randomKernelFilter(rnd, depth - 1, ports), randomKernelFilter(rnd, depth - 1, ports));
            default:
                return new Filter.Or(randomKernelFilter(rnd, depth - 1, ports), randomKernelFilter(rnd, depth - 1, ports));
        }
    }

    private static int randomPort(Random rnd, int[] ports) {
        int p = ports[rnd.nextInt(ports.length)];
        switch (rnd.nextInt(4)) {
            case 0: return rnd.nextInt(65536);
            case 1: return Math.min(65535, p + 1);
            case 2: return p - 1;
            default: return p;
        }
    }

    private static byte[] validDatagram(Random rnd) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        int messages = 1 + rnd.nextInt(4);
        for (int m = 0; m < messages; m++) {
            int attrs = rnd.nextInt(3);
            int[] attrLens = new int[attrs];
            int attrTotal = 0;
            for (int a = 0; a < attrs; a++) {
                attrLens[a] = 4 + rnd.nextInt(300);
                attrTotal += (attrLens[a] + 3) & ~3;
            }
            int len = 16 + 72 + attrTotal;
            b.putInt(len).putShort((short) 20).putShort((short) 2).putInt(LinuxFuzzAccess.SEQ).putInt(0);
            b.put((byte) (rnd.nextBoolean() ? 2 : 10)).put((byte) (1 + rnd.nextInt(12)));
            byte[] rest = new byte[70];
            rnd.nextBytes(rest);
            b.put(rest);
            for (int a = 0; a < attrs; a++) {
                b.putShort((short) attrLens[a]).putShort((short) (rnd.nextBoolean() ? 2 : 4));
                byte[] p = new byte[((attrLens[a] + 3) & ~3) - 4];
                rnd.nextBytes(p);
                b.put(p);
            }
        }
        if (rnd.nextBoolean()) {
            b.putInt(20).putShort((short) 3).putShort((short) 2).putInt(LinuxFuzzAccess.SEQ).putInt(0).putInt(0);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static byte[] mutate(Random rnd, byte[] d) {
        byte[] out = d.clone();
        switch (rnd.nextInt(5)) {
            case 0:
                return out; // valid input must parse
            case 1:
                return java.util.Arrays.copyOf(out, rnd.nextInt(out.length + 1));
            case 2:
                for (int i = 0; i < 1 + rnd.nextInt(8); i++) {
                    out[rnd.nextInt(out.length)] = (byte) rnd.nextInt(256);
                }
                return out;
            case 3: {
                // Lie in a length field: nlmsg_len or an rta_len near the start of a message.
                int at = rnd.nextInt(Math.max(1, out.length - 4)) & ~1;
                out[at] = (byte) rnd.nextInt(256);
                out[at + 1] = (byte) rnd.nextInt(256);
                return out;
            }
            default: {
                byte[] junk = new byte[rnd.nextInt(64)];
                rnd.nextBytes(junk);
                byte[] spliced = java.util.Arrays.copyOf(out, out.length + junk.length);
                System.arraycopy(junk, 0, spliced, out.length, junk.length);
                return spliced;
            }
        }
    }

    private static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder();
        for (byte x : d) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
