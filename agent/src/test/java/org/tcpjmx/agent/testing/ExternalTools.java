package org.tcpjmx.agent.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/** Programs of the machine that tests drive as users do (Prometheus, Node.js, ...), found on the PATH. */
public final class ExternalTools {
    private ExternalTools() {
    }

    /**
     * The executable {@code name} on the PATH; where there is none, the calling test is skipped with
     * {@code whySkipped}, so the run says what it did not test.
     */
    public static Path require(String name, String whySkipped) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Assumptions.abort(name + " is not installed: " + whySkipped);
        throw new AssertionError("unreachable");
    }
}
