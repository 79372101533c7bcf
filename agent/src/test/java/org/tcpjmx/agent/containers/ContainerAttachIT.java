package org.tcpjmx.agent.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * The story: a JVM in a container (unshare: private /tmp, the project hidden, its own PID and
 * network namespaces) is attached from the node with the real command line, by the pid the node sees;
 * the agent's table is the container's; the remote verbs reach it with {@code --pid}; detach removes
 * the jar the attach copied in; a JVM running as another user loads that copy too.
 */
class ContainerAttachIT {
    private static final int NOBODY = 65534;
    private static final int LEAKS = 7;

    @BeforeAll
    static void containersCanBeMade() {
        Optional<String> why = UnshareContainer.unavailable();
        why.ifPresent(w -> System.out.println("ContainerAttachIT skipped: " + w));
        Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
    }

    @Test
    void aJvmInAContainerIsAttachedFromTheNodeAndItsAgentAnswersWithTheContainersTable() throws Exception {
        try (UnshareContainer c = UnshareContainer.startDemo(Optional.empty(),
                "--port", "0", "--clients", "0", "--idle", "0", "--leak-close-wait", Integer.toString(LEAKS))) {
            int leakPort = c.readyValue("leakPort");
            // The demo's hint does not offer its pid inside as the node's.
            c.awaitOut(l -> l.contains("attach from the node with its PID as the node"));

            List<String> row = listRow(c.pid());
            assertEquals(List.of(c.pid(), "1", "own", "no"), row.subList(0, 4), "list shows the pid inside and the own network: " + row);

            AgentCli.Result attach = AgentCli.run("attach", c.pid());
            assertEquals(0, attach.status(), attach.toString());
            String url = attach.firstLine();
            assertTrue(url.startsWith("http://127.0.0.1:") && url.endsWith("/jolokia/"), attach.toString());
            Path copy = c.inside(copiedPath(attach));
            assertTrue(Files.isRegularFile(copy), "the copy is in the container's /tmp: " + attach);
            assertTrue(attach.err().contains(url + " is in the network namespace of JVM " + c.pid()), attach.toString());

            AgentCli.Result status = AgentCli.run("status", c.pid());
            assertEquals(0, status.status(), status.toString());
            assertTrue(status.out().contains("running at " + url) && status.out().contains("use --pid " + c.pid()), status.toString());

            // The histogram through --pid is the container's: exactly its listeners and leaked sockets, as ss in there sees them.
            Map<String, Long> states = states(c.pid());
            assertEquals(LEAKS, states.get("CLOSE_WAIT"), states.toString());
            assertEquals(ssCount(c, "close-wait"), states.get("CLOSE_WAIT"));
            assertEquals(3, states.get("LISTEN"), "echo, leaky and the agent's own listener: " + states);
            assertEquals(ssCount(c, "listening"), states.get("LISTEN"));

            AgentCli.Result table = AgentCli.run("table", "--pid", c.pid(), "state", "close-wait");
            assertEquals(0, table.status(), table.toString());
            List<String> rows = table.out().lines().skip(1).filter(l -> !l.isBlank()).toList();
            assertEquals(LEAKS, rows.size(), table.toString());
            assertTrue(rows.stream().allMatch(r -> r.contains("127.0.0.1]:" + leakPort + " ") || r.contains("127.0.0.1:" + leakPort + " ")), table.toString());

            // A real drop, in the container's own namespace only.
            AgentCli.Result drop = AgentCli.run("tcpdrop", "--pid", c.pid(), "-s", "close_wait");
            assertEquals(0, drop.status(), drop.toString());
            assertEquals(LEAKS, drop.out().lines().filter(l -> l.contains(" " + leakPort + " ")).count(), drop.toString());
            assertEquals(0, states(c.pid()).get("CLOSE_WAIT"));
            assertEquals(0, ssCount(c, "close-wait"));

            AgentCli.Result detach = AgentCli.run("detach", c.pid());
            assertEquals(0, detach.status(), detach.toString());
            assertTrue(detach.firstLine().contains("agent detached"), detach.toString());
            assertFalse(Files.exists(copy), "detach removes the copied jar: " + detach);
        }
    }

    @Test
    void aJvmRunningAsAnotherUserLoadsTheCopyAndOnlyRootEntersItsNetwork() throws Exception {
        try (UnshareContainer c = UnshareContainer.startDemo(Optional.of(NOBODY), "--port", "0", "--clients", "0", "--idle", "2")) {
            AgentCli.Result attach = AgentCli.run("attach", c.pid());
            assertEquals(0, attach.status(), attach.toString());
            Path copy = c.inside(copiedPath(attach));
            assertEquals(NOBODY, Files.getAttribute(copy, "unix:uid"), "the copy belongs to the JVM's user");
            assertTrue(Files.getPosixFilePermissions(copy).contains(PosixFilePermission.OWNER_READ));

            Map<String, Long> states = states(c.pid());
            assertEquals(2, states.get("LISTEN"), "the echo server and the agent: " + states);
            assertEquals(ssCount(c, "listening"), states.get("LISTEN"));

            // The same user without root may attach but not enter the namespace: the error names the other ways in.
            Path jar = Files.createTempFile("tcpjmx-it-cli-", ".jar");
            try {
                Files.copy(Paths.get(JvmProcess.agentJar()), jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(jar, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                AgentCli.Result refused = AgentCli.exec(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                        JvmProcess.java(), "-jar", jar.toString(), "states", "--pid", c.pid()), Map.of());
                assertEquals(1, refused.status(), refused.toString());
                assertTrue(refused.err().contains("nsenter -t " + c.pid() + " -n") && refused.err().contains("kubectl port-forward"),
                        refused.toString());
            } finally {
                Files.deleteIfExists(jar);
            }

            AgentCli.Result detach = AgentCli.run("detach", c.pid());
            assertEquals(0, detach.status(), detach.toString());
            assertFalse(Files.exists(copy), detach.toString());
        }
    }

    /** The path inside the container that attach said it copied the jar to. */
    private static String copiedPath(AgentCli.Result attach) {
        String marker = "loaded a copy at ";
        int at = attach.err().indexOf(marker);
        assertTrue(at >= 0, "attach copied the jar: " + attach);
        String rest = attach.err().substring(at + marker.length());
        return rest.substring(0, rest.indexOf(' '));
    }

    private static List<String> listRow(String pid) {
        AgentCli.Result list = AgentCli.run("list");
        assertEquals(0, list.status(), list.toString());
        for (String line : list.out().split("\n")) {
            List<String> cols = new ArrayList<>(List.of(line.trim().split("\\s+")));
            if (cols.get(0).equals(pid)) {
                return cols;
            }
        }
        throw new AssertionError("JVM " + pid + " not listed: " + list);
    }

    private static Map<String, Long> states(String pid) {
        AgentCli.Result r = AgentCli.run("states", "--pid", pid);
        assertEquals(0, r.status(), r.toString());
        Map<String, Long> counts = new HashMap<>();
        r.out().lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length == 2).forEach(f -> counts.put(f[0], Long.parseLong(f[1])));
        return counts;
    }

    /** The peer: ss inside the container's network namespace. */
    private static long ssCount(UnshareContainer c, String state) {
        AgentCli.Result ss = c.inNetwork("ss", "-Htan", "state", state);
        assertEquals(0, ss.status(), ss.toString());
        return ss.out().lines().filter(l -> !l.isBlank()).count();
    }
}
