package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.JvmProcess;

/** The packaged jar: a tiny bootstrap at top level, everything else nested, only the Jolokia parts the agent uses. */
class AgentJarLayoutIT {

    @Test
    void onlyTheBootstrapIsAtTopLevelAndEveryLibraryIsNested() throws Exception {
        Path jar = Paths.get(JvmProcess.agentJar());
        assertEquals("tcpjmx-agent.jar", jar.getFileName().toString());
        List<String> nested = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            Attributes main = j.getManifest().getMainAttributes();
            for (String entry : List.of("Premain-Class", "Agent-Class", "Main-Class")) {
                assertEquals("org.tcpjmx.agent.boot.AgentBoot", main.getValue(entry), entry);
            }
            for (JarEntry e : Collections.list(j.entries())) {
                String n = e.getName();
                assertTrue(n.startsWith("META-INF/") || n.equals("org/") || n.equals("org/tcpjmx/") || n.equals("org/tcpjmx/agent/")
                        || n.startsWith("org/tcpjmx/agent/boot/"), "top-level entry outside the bootstrap: " + n);
                if (n.startsWith("META-INF/tcpjmx/lib/") && n.endsWith(".jar")) {
                    nested.add(n.substring("META-INF/tcpjmx/lib/".length()).replaceAll("-[0-9][0-9A-Za-z.-]*\\.jar$", ""));
                }
            }
        }
        Collections.sort(nested);
        assertEquals(List.of("asm", "jna", "jolokia-agent-jvm", "jolokia-json", "jolokia-server-core", "jolokia-service-jmx",
                "jolokia-service-serializer", "slf4j-api", "slf4j-jdk14", "tcpjmx-agent-impl", "tcpjmx-mbeans"), nested);
    }

    @Test
    void theTcpdropLauncherLiesNextToTheJar() {
        Path script = Paths.get(JvmProcess.agentJar()).resolveSibling("tcpdrop");
        assertTrue(Files.isRegularFile(script) && Files.isExecutable(script), script + " missing or not executable");
    }
}
