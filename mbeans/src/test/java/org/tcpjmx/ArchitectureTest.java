package org.tcpjmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tcpjmx.testing.LayerTable;
import org.tcpjmx.testing.ProjectLayout;
import org.tcpjmx.testing.SourceImports;

/** The mbeans layers keep to the walls src/docs/architecture.md draws: model → filter → linux → platform → drop → jmx. */
class ArchitectureTest {
    private static final Path MAIN = ProjectLayout.file("mbeans/src/main/java");

    @Test
    void everyMainSourceImportsOnlyWhatItsLayerMay() {
        LayerTable table = LayerTable.read();
        List<SourceImports> sources = SourceImports.under(MAIN);
        assertTrue(sources.size() > 50, "the mbeans main sources: " + sources.size());
        List<String> violations = new ArrayList<>();
        for (SourceImports s : sources) {
            violations.addAll(table.violations(s));
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theCheckCatchesALayerReachingDownPastThePlatform() throws Exception {
        LayerTable table = LayerTable.read();
        Path fake = Files.createTempFile("FakeDropper", ".java");
        try {
            Files.writeString(fake, "package org.tcpjmx.drop;\n\nimport org.tcpjmx.linux.Errno;\n\n"
                    + "/** comments may name org.tcpjmx.linux.SockDiagReader */\nfinal class FakeDropper {\n"
                    + "    String s = \"// not a comment\"; Object o = org.tcpjmx.jmx.TcpJmx.DOMAIN; com.sun.jna.Pointer p;\n}\n");
            List<String> found = table.violations(SourceImports.read(fake));
            assertEquals(3, found.size(), found.toString());
            assertTrue(found.get(0).contains("uses com.sun.jna.Pointer"), found.toString());
            assertTrue(found.stream().anyMatch(v -> v.contains("uses org.tcpjmx.jmx.TcpJmx (jmx)")), found.toString());
            assertTrue(found.stream().anyMatch(v -> v.contains("uses org.tcpjmx.linux.Errno (linux)")), found.toString());
            assertFalse(found.stream().anyMatch(v -> v.contains("SockDiagReader")), "a comment is no reference");
        } finally {
            Files.delete(fake);
        }
    }

    @Test
    void theTableNamesEveryLayerOfBothModules() {
        assertEquals(Set.of("model", "filter", "linux", "platform", "drop", "jmx", "agent.boot", "agent"),
                LayerTable.read().layers());
    }
}
