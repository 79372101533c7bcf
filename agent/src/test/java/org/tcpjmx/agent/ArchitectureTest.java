package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tcpjmx.testing.LayerTable;
import org.tcpjmx.testing.ProjectLayout;
import org.tcpjmx.testing.SourceImports;

/**
 * The agent keeps to src/docs/architecture.md: it uses the library's jmx, drop, platform, model and
 * filter layers but never {@code org.tcpjmx.linux}, its bootstrap only the JDK, and it reads no
 * kernel file itself: it asks the platform.
 */
class ArchitectureTest {
    private static final Path MAIN = ProjectLayout.file("agent/src/main/java");
    /** A string literal naming a kernel file: "/proc/...", "/sys/...", "/boot/...". */
    private static final Pattern KERNEL_FILE = Pattern.compile("\"/(proc|sys|boot)(/[^\"]*)?\"");

    @Test
    void everyAgentSourceImportsOnlyWhatItsLayerMay() {
        LayerTable table = LayerTable.read();
        List<SourceImports> sources = SourceImports.under(MAIN);
        assertTrue(sources.size() > 30, "the agent main sources: " + sources.size());
        List<String> violations = new ArrayList<>();
        for (SourceImports s : sources) {
            violations.addAll(table.violations(s));
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theAgentReadsNoKernelFileItself() {
        List<String> found = new ArrayList<>();
        for (SourceImports s : SourceImports.under(MAIN)) {
            Matcher m = KERNEL_FILE.matcher(s.text());
            while (m.find()) {
                found.add(s.file() + ": " + m.group());
            }
        }
        assertEquals(List.of(), found, "the agent asks TcpPlatform (capabilities, tcpCounters, read) instead");
        assertTrue(KERNEL_FILE.matcher("Paths.get(\"/proc/self/status\")").find(), "the pattern finds a kernel file");
    }
}
