package org.tcpjmx.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's command line: defaults, and errors that name the bad value and what is valid. */
class BenchOptionsTest {

    @Test
    void defaultsAreTheIssuesThreeSizes() {
        BenchOptions o = BenchOptions.parse("--no-agent");
        assertEquals(List.of(1000, 10000, 100000), o.sizes());
        assertEquals(7, o.iterations());
        assertEquals(50000, o.dropMax());
        assertTrue(o.drop() && o.oshi());
        assertFalse(o.agentJar().isPresent());
        assertEquals(60, o.cpuWindowSeconds());
    }

    @Test
    void aCpuWindowOfZeroSkipsTheCpuFigures() {
        assertEquals(0, BenchOptions.parse("--cpu-window", "0", "--no-agent").cpuWindowSeconds());
    }

    @Test
    void sizesAreParsedInOrder() {
        assertEquals(List.of(2000, 400), BenchOptions.parse("--sizes", "2000,400", "--no-agent").sizes());
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("1001", "even", "--sizes", "1001");
        assertMessage("'0'", "1 or more", "--iterations", "0");
        assertMessage("--warmup", "needs a value", "--warmup");
        assertMessage("9001", "9000", "--pairs-per-worker", "9001");
        assertMessage("'-1'", "0 or more", "--cpu-window", "-1");
        assertMessage("'--frobnicate'", "--sizes", "--frobnicate");
        assertMessage("/nonexistent/agent.jar", "not a file", "--agent-jar", "/nonexistent/agent.jar");
    }

    private static void assertMessage(String names, String says, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args));
        assertTrue(e.getMessage().contains(names) && e.getMessage().contains(says), e.getMessage());
    }
}
