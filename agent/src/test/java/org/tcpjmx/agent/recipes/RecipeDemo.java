package org.tcpjmx.agent.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * The demo server with the agent loaded at start-up on a free port, as README's first command
 * starts it, plus what the recipe tests need around it: running a recipe script with bash, and
 * making CLOSE_WAIT connections of the test's own on the demo's leaky port (so a drop recipe only
 * ever cuts connections this test made).
 */
final class RecipeDemo implements AutoCloseable {
    private final JvmProcess process;
    final String url;
    final int echoPort;
    final int leakPort;

    private RecipeDemo(JvmProcess process, String url, int echoPort, int leakPort) {
        this.process = process;
        this.url = url;
        this.echoPort = echoPort;
        this.leakPort = leakPort;
    }

    /** Starts {@code java [extra options] -javaagent:tcpjmx-agent.jar=port=0 DemoServer DEMO_ARGS} and waits for its URL. */
    static RecipeDemo start(List<String> extraJvmOptions, String... demoArgs) {
        return startWithAgentOptions("port=0", extraJvmOptions, demoArgs);
    }

    /** As {@link #start}, with the agent options {@code AGENT_OPTIONS} (e.g. {@code port=0,policy=FILE}). */
    static RecipeDemo startWithAgentOptions(String agentOptions, List<String> extraJvmOptions, String... demoArgs) {
        List<String> options = new ArrayList<>(List.of("-javaagent:" + JvmProcess.agentJar() + "=" + agentOptions));
        options.addAll(extraJvmOptions);
        JvmProcess p = JvmProcess.demo(JvmProcess.java(), options, demoArgs);
        try {
            String ready = p.awaitOut(l -> l.startsWith("READY port="), 30);
            String url = p.awaitOut(l -> l.startsWith("tcpjmx agent: "), 5).substring("tcpjmx agent: ".length()).trim();
            return new RecipeDemo(p, url, number(ready, "port"), number(ready, "leakPort"));
        } catch (RuntimeException | AssertionError e) {
            p.close();
            throw e;
        }
    }

    private static int number(String ready, String key) {
        for (String part : ready.split("\\s+")) {
            if (part.startsWith(key + "=")) {
                return Integer.parseInt(part.substring(key.length() + 1));
            }
        }
        return -1;
    }

    JvmProcess process() {
        return process;
    }

    /** examples/ of this source tree. */
    static Path examples() {
        String dir = System.getProperty("tcpjmx.examples.dir");
        if (dir == null || !Files.isDirectory(Paths.get(dir))) {
            throw new IllegalStateException("tcpjmx.examples.dir not set or missing (" + dir + "): run the ITs through mvn verify");
        }
        return Paths.get(dir).toAbsolutePath().normalize();
    }

    /**
     * Runs {@code bash examples/recipes/SCRIPT ARGS} as a user would, with the agent jar and JDK of
     * this build; {@code TCPJMX_URL} is set only when {@code url} is not empty.
     */
    static AgentCli.Result runRecipe(String url, String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", examples().resolve("recipes").resolve(script).toString()));
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        env.put("TCPJMX_AGENT_JAR", JvmProcess.agentJar());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        if (!url.isEmpty()) {
            env.put("TCPJMX_URL", url);
        }
        return AgentCli.exec(cmd, env);
    }

    /** The HTTP recipes and the JSON API page use curl; skip (saying so) where a machine has none. */
    static void assumeCurl() {
        boolean present;
        try {
            present = new ProcessBuilder("curl", "--version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present, "curl is not installed: the HTTP recipes need it");
    }

    /** Runs a recipe against this demo's agent (TCPJMX_URL set). */
    AgentCli.Result recipe(String script, String... args) {
        return runRecipe(url, script, args);
    }

    /**
     * Opens {@code n} connections to the leaky port and closes them from this side: the demo never
     * closes its end, which stays in CLOSE_WAIT. Returns this side's ports, once the table shows all
     * of them in CLOSE_WAIT.
     */
    List<Integer> leakCloseWait(int n) throws IOException, InterruptedException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), leakPort)) {
                OutputStream out = s.getOutputStream();
                out.write("bye\n".getBytes(StandardCharsets.US_ASCII));
                ports.add(s.getLocalPort());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (closeWaitOnLeakPort(ports) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the demo's end of " + ports + " never reached CLOSE_WAIT");
            }
            Thread.sleep(50);
        }
        return ports;
    }

    /** How many of the demo's ends of connections from these client ports are in CLOSE_WAIT, over HTTP. */
    int closeWaitOnLeakPort(List<Integer> clientPorts) {
        StringBuilder filter = new StringBuilder("state close-wait and src 127.0.0.1:" + leakPort + " and (");
        for (int i = 0; i < clientPorts.size(); i++) {
            filter.append(i == 0 ? "" : " or ").append("dst 127.0.0.1:").append(clientPorts.get(i));
        }
        Http.Answer rows = Http.post(url, Http.exec("org.tcpjmx:type=Connections", "query", filter.append(")").toString(), 0));
        assertEquals(200, rows.jolokiaStatus(), rows.body());
        return ((List<?>) rows.value()).size();
    }

    @Override
    public void close() {
        process.close();
    }
}
