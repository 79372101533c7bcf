package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * A modular application ({@code java -p ... -m app/...}) resolves only the modules it requires, so
 * jdk.httpserver, which Jolokia needs, is absent: the agent says so and how to fix it, and the
 * application runs on; with {@code --add-modules jdk.httpserver} the agent serves.
 */
class ModularApplicationIT {

    @Test
    void aModularApplicationWithoutJdkHttpserverIsToldHowToAddIt(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/app");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), "module app { }\n");
        Files.writeString(src.resolve("app/Main.java"),
                "package app;\npublic class Main { public static void main(String[] a) { System.out.println(\"app ran\"); } }\n");
        Path out = dir.resolve("out");
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                "--module-source-path", dir.resolve("src").toString(), "-m", "app");
        assertEquals(0, compiled, "the test's module compiles");

        Run without = run(List.of(JvmProcess.java(), "-javaagent:" + JvmProcess.agentJar() + "=port=0", "-p", out.toString(), "-m", "app/app.Main"));
        assertEquals(0, without.status, without.output);
        assertTrue(without.output.contains("app ran"), "the application runs on: " + without.output);
        assertTrue(without.output.contains("tcpjmx-agent: not started: this JVM's module graph has no jdk.httpserver")
                && without.output.contains("--add-modules jdk.httpserver"), without.output);
        assertTrue(!without.output.contains("NoClassDefFoundError"), without.output);

        Run with = run(List.of(JvmProcess.java(), "--add-modules", "jdk.httpserver", "-javaagent:" + JvmProcess.agentJar() + "=port=0",
                "-p", out.toString(), "-m", "app/app.Main"));
        assertEquals(0, with.status, with.output);
        assertTrue(with.output.contains("serving org.tcpjmx MBeans at http://127.0.0.1:"), with.output);
    }

    private record Run(int status, String output) {
    }

    private static Run run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the application ends");
        return new Run(p.exitValue(), new String(bytes, StandardCharsets.UTF_8));
    }
}
