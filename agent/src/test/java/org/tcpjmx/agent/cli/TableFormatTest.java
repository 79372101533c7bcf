package org.tcpjmx.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** table -m and -p print what ss -tanm and ss -tanp print for the same figures. */
class TableFormatTest {
    private static Map<String, Object> row() {
        Map<String, Object> r = new HashMap<>();
        r.put("state", "ESTABLISHED");
        r.put("recvQ", 0L);
        r.put("sendQ", 0L);
        r.put("localAddress", "127.0.0.1");
        r.put("localPort", 35182);
        r.put("remoteAddress", "127.0.0.1");
        r.put("remotePort", 44589);
        r.put("hasMemory", true);
        long[] skmem = {0, 131072, 0, 3939840, 0, 0, 0, 0, 0};
        String[] names = {"rmem_alloc", "rcvbuf", "wmem_alloc", "sndbuf", "fwd_alloc", "wmem_queued", "optmem", "backlog", "drops"};
        for (int i = 0; i < names.length; i++) {
            r.put(names[i], skmem[i]);
        }
        r.put("pid", 4711L);
        r.put("command", "java");
        return r;
    }

    private static List<String> print(boolean memory, boolean processes) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        TableFormat.print(List.of(row()), false, memory, processes, new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void memoryIsSsSkmemLine() {
        List<String> lines = print(true, false);
        assertEquals("\t skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0)", lines.get(2));
    }

    @Test
    void processesAreSsUsersColumn() {
        List<String> lines = print(false, true);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).endsWith("Process"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" users:((\"java\",pid=4711))"), lines.get(1));
    }

    @Test
    void withoutOptionsTheTableIsUnchanged() {
        List<String> lines = print(false, false);
        assertEquals("State Recv-Q Send-Q Local Address:Port Peer Address:Port", lines.get(0).trim().replaceAll(" +", " "));
        assertFalse(lines.get(1).contains("users:"));
    }
}
