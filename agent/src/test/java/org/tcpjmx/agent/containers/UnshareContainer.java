package org.tcpjmx.agent.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.examples.DemoServer;

/**
 * The demo server in a container made with {@code unshare}: its own mount namespace (a private
 * {@code /tmp} on a tmpfs, the project's directory hidden under another, so it cannot see the agent
 * jar), its own PID namespace (it is pid 1 in there) and its own network namespace (only {@code lo},
 * brought up). The JDK is the one running the tests (java.home); the demo's classes are copied into
 * the private {@code /tmp}. Closing it kills the container, and with it the namespaces.
 */
final class UnshareContainer implements AutoCloseable {
    private final JvmProcess unshare;
    private final long pid;
    private final int port;
    private final String ready;

    private UnshareContainer(JvmProcess unshare, long pid, int port, String ready) {
        this.unshare = unshare;
        this.pid = pid;
        this.port = port;
        this.ready = ready;
    }

    /** Why containers cannot be made here (not root, no unshare), or empty when they can. */
    static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("not root: unshare of mount, PID and network namespaces needs CAP_SYS_ADMIN");
        }
        for (String tool : List.of("unshare", "ip", "setpriv", "nsenter")) {
            if (!onPath(tool)) {
                return Optional.of(tool + " is not installed");
            }
        }
        return Optional.empty();
    }

    /**
     * Starts the demo in a fresh container.
     *
     * @param user empty for root, or a user id the demo runs as (setpriv)
     */
    static UnshareContainer startDemo(Optional<Integer> user, String... demoArgs) throws Exception {
        Path agentJar = Paths.get(JvmProcess.agentJar()).toAbsolutePath();
        Path project = agentJar.getParent().getParent().getParent();
        Path javaHome = Paths.get(System.getProperty("java.home")).toRealPath();
        // Hide the whole project, unless the JDK lives in it: then just the agent's build directory.
        Path hidden = javaHome.startsWith(project.toRealPath()) ? agentJar.getParent() : project;
        Path demo = Paths.get(DemoServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String copyDemo = Files.isDirectory(demo) ? "mkdir /tmp/app && cp -r \"$2\"/. /tmp/app/" : "mkdir /tmp/app && cp \"$2\" /tmp/app/demo.jar";
        String classPath = Files.isDirectory(demo) ? "/tmp/app" : "/tmp/app/demo.jar";
        String runAs = user.map(u -> "setpriv --reuid=" + u + " --regid=" + u + " --clear-groups ").orElse("");
        String script = "set -e\n"
                + "mount -t tmpfs -o mode=1777 tcpjmx-it-tmp /tmp\n"
                + copyDemo + " && chmod -R a+rX /tmp/app\n"
                + "mount -t tmpfs -o mode=755 tcpjmx-it-hide \"$3\"\n"
                + "ip link set lo up\n"
                + "cd /tmp\n"
                // The demo's arguments come in DEMO_ARGS, word-split on purpose (they hold no spaces).
                + "exec " + runAs + "\"$1\" -cp " + classPath + " " + DemoServer.class.getName() + " $DEMO_ARGS\n";
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--net", "--pid", "--fork", "--kill-child", "--mount-proc",
                "--propagation", "private", "sh", "-c", script, "container"));
        cmd.add(javaHome.resolve("bin").resolve("java").toString());
        cmd.add(demo.toString());
        cmd.add(hidden.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DEMO_ARGS", String.join(" ", demoArgs));
        JvmProcess p = JvmProcess.start(cmd, pb);
        try {
            String ready = p.awaitOut(l -> l.startsWith("READY port="), 30);
            long javaPid = ProcessHandle.of(Long.parseLong(p.pid())).orElseThrow().children().findFirst()
                    .orElseThrow(() -> new AssertionError("unshare has no child")).pid();
            int port = Integer.parseInt(ready.split("\\s+")[1].substring("port=".length()));
            return new UnshareContainer(p, javaPid, port, ready);
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    /** The demo JVM's pid as this host (the node) sees it. */
    String pid() {
        return Long.toString(pid);
    }

    /** The demo's echo port, inside the container. */
    int port() {
        return port;
    }

    /** A number from the demo's READY line ({@code leakPort}, ...). */
    int readyValue(String key) {
        for (String kv : ready.split("\\s+")) {
            if (kv.startsWith(key + "=")) {
                return Integer.parseInt(kv.substring(key.length() + 1));
            }
        }
        throw new AssertionError("no " + key + " in " + ready);
    }

    /** Waits for a line of the demo's stdout. */
    String awaitOut(java.util.function.Predicate<String> match) {
        return unshare.awaitOut(match, 10);
    }

    /** A file of the container, as the node reaches it. */
    Path inside(String path) {
        return Paths.get("/proc", pid(), "root", path.substring(1));
    }

    /** Runs a command in the container's network namespace (nsenter), e.g. ss as the peer. */
    AgentCli.Result inNetwork(String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "--"));
        cmd.addAll(List.of(command));
        return AgentCli.exec(cmd, java.util.Map.of());
    }

    @Override
    public void close() {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> h).join();
        });
        unshare.close();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Paths.get(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
