package org.tcpjmx.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.Tunable;
import org.tcpjmx.testing.ProjectLayout;

/** src/docs/tunables.md and {@link TcpSysctlReader#tunables()} are the same table. */
class TunablesDocTest {

    private static Path doc() {
        return ProjectLayout.file("src/docs/tunables.md");
    }

    @Test
    void theDocsTableIsTheCodesMapping() throws IOException {
        List<String> lines = Files.readAllLines(doc());
        int start = lines.indexOf("<!-- mapping:start -->");
        int end = lines.indexOf("<!-- mapping:end -->");
        assertTrue(start >= 0 && end > start, "mapping markers missing in " + doc());
        List<String> docRows = new ArrayList<>();
        for (String line : lines.subList(start + 3, end)) {
            docRows.add(line);
        }
        List<String> codeRows = new ArrayList<>();
        for (Tunable t : TcpSysctlReader.tunables()) {
            codeRows.add("| " + t.attribute() + " | `" + t.freebsdName().replace(", ", "`, `") + "` | `" + t.linuxPath()
                    + "` | " + t.fieldText() + " | " + t.kind() + " | " + t.unit() + " | " + t.description() + " |");
        }
        assertEquals(codeRows, docRows, "src/docs/tunables.md and TcpSysctlReader.tunables() disagree");
        assertEquals("| Attribute | tcp(4) variable | Linux file | Field | Kind | Unit | Meaning on Linux |", lines.get(start + 1));
    }

    @Test
    void everyMappedVariableIsATcp4Variable() throws IOException {
        // The tcp(4) pages the project implements (FreeBSD 14.3, and the older page that still lists
        // maxtcptw): each mapped name must appear in one of them.
        Path freebsd14 = ProjectLayout.shared("reference/001_4528dfbe8cb3ded7.txt");
        Path older = ProjectLayout.shared("reference/002_f6a48e99319181ff.txt");
        boolean present = Files.isRegularFile(freebsd14) && Files.isRegularFile(older);
        String where = "the tcp(4) reference pages " + freebsd14 + " and " + older + " (../shared next to the project root)";
        System.out.println(present ? "reading " + where : "skipped: " + where + " are not on this machine");
        org.junit.jupiter.api.Assumptions.assumeTrue(present, where + " are not on this machine");
        String text = Files.readString(freebsd14) + Files.readString(older);
        for (Tunable t : TcpSysctlReader.tunables()) {
            for (String name : t.freebsdName().split(", ")) {
                String bare = name.equals("cc.algorithm") || name.equals("cc.available") ? "cc" : name;
                assertTrue(text.contains(bare), t.attribute() + ": '" + name + "' is not in tcp(4)");
            }
        }
    }
}
