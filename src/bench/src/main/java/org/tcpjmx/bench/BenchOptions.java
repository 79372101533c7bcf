package org.tcpjmx.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The harness's command line.
 *
 * @param sizes ESTABLISHED sockets in the farm, one run per size (even numbers)
 * @param warmup rounds run and thrown away before measuring, per size
 * @param iterations measured rounds per size
 * @param timeWait TIME_WAIT sockets added to each farm (they expire after 60 s)
 * @param pairsPerWorker most socket pairs one farm process holds (two descriptors each)
 * @param dropMax most sockets one bulk drop destroys (the 50k)
 * @param dropRounds how many times each bulk drop runs, each on fresh farm sockets
 * @param drop whether to run the destructive bulk-drop comparison
 * @param oshi whether to time OSHI
 * @param cpuWindowSeconds how long each CPU figure of the attached agent is measured; 0 skips them
 * @param agentJar the agent jar for the HTTP figures, when there is one
 * @param out where the CSV, JSON and markdown results go
 */
record BenchOptions(List<Integer> sizes, int warmup, int iterations, int timeWait, int pairsPerWorker, int dropMax,
                    int dropRounds, boolean drop, boolean oshi, int cpuWindowSeconds, Optional<Path> agentJar, Path out) {

    static final String USAGE = String.join("\n",
            "usage: java -jar tcpjmx-bench.jar [options]",
            "  --sizes N,N,...        ESTABLISHED sockets per farm, even (default 1000,10000,100000)",
            "  --iterations N         measured rounds per size (default 7)",
            "  --warmup N             rounds thrown away first (default 3)",
            "  --time-wait N          TIME_WAIT sockets added to each farm (default 0)",
            "  --pairs-per-worker N   socket pairs per farm process, at most 9000 (default 7000)",
            "  --drop-max N           sockets one bulk drop destroys at most (default 50000)",
            "  --drop-rounds N        bulk drops of each kind, each on a fresh farm (default 3)",
            "  --no-drop              skip the bulk-drop comparison",
            "  --no-oshi              skip OSHI",
            "  --cpu-window SECONDS   window of each agent CPU figure: idle, watching, scraping every 15 s; 0 skips (default 60)",
            "  --agent-jar PATH       agent jar for the HTTP figures (default agent/target/tcpjmx-agent.jar if present)",
            "  --no-agent             skip the HTTP figures",
            "  --out DIR              results directory (default: bench-results beside the bench jar)");

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException naming the bad argument and what is valid
     */
    static BenchOptions parse(String... args) {
        List<Integer> sizes = List.of(1000, 10000, 100000);
        int warmup = 3;
        int iterations = 7;
        int timeWait = 0;
        int perWorker = 7000;
        int dropMax = 50000;
        int dropRounds = 3;
        boolean drop = true;
        boolean oshi = true;
        boolean agent = true;
        int cpuWindow = 60;
        Optional<Path> agentJar = Optional.empty();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--sizes":
                    sizes = sizes(value(args, ++i, a));
                    break;
                case "--iterations":
                    iterations = count(value(args, ++i, a), a, 1);
                    break;
                case "--warmup":
                    warmup = count(value(args, ++i, a), a, 0);
                    break;
                case "--time-wait":
                    timeWait = count(value(args, ++i, a), a, 0);
                    break;
                case "--pairs-per-worker":
                    perWorker = count(value(args, ++i, a), a, 1);
                    // Two descriptors a pair, a listener and the JVM's own, under a 20,000 descriptor limit.
                    if (perWorker > 9000) {
                        throw new IllegalArgumentException("--pairs-per-worker " + perWorker + " is above 9000 (two descriptors a pair under a 20,000 limit)");
                    }
                    break;
                case "--drop-max":
                    dropMax = count(value(args, ++i, a), a, 1);
                    break;
                case "--drop-rounds":
                    dropRounds = count(value(args, ++i, a), a, 1);
                    break;
                case "--no-drop":
                    drop = false;
                    break;
                case "--cpu-window":
                    cpuWindow = count(value(args, ++i, a), a, 0);
                    break;
                case "--no-oshi":
                    oshi = false;
                    break;
                case "--agent-jar": {
                    Path p = Paths.get(value(args, ++i, a));
                    if (!Files.isRegularFile(p)) {
                        throw new IllegalArgumentException("--agent-jar " + p + " is not a file");
                    }
                    agentJar = Optional.of(p);
                    break;
                }
                case "--no-agent":
                    agent = false;
                    break;
                case "--out":
                    out = Paths.get(value(args, ++i, a));
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument '" + a + "'\n" + USAGE);
            }
        }
        if (!agent) {
            agentJar = Optional.empty();
        } else if (agentJar.isEmpty()) {
            agentJar = defaultAgentJar();
        }
        return new BenchOptions(sizes, warmup, iterations, timeWait, perWorker, dropMax, dropRounds, drop, oshi, cpuWindow, agentJar,
                out != null ? out : defaultOut());
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int count(String text, String name, int min) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " '" + text + "' is not a whole number of " + min + " or more");
    }

    private static List<Integer> sizes(String text) {
        List<Integer> out = new ArrayList<>();
        for (String s : text.split(",")) {
            int v = count(s, "--sizes entry", 2);
            if (v % 2 != 0) {
                throw new IllegalArgumentException("--sizes entry " + v + " is odd: the farm holds ESTABLISHED pairs, give an even number");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    /** The agent jar of a build in the current directory or beside this bench jar's project. */
    private static Optional<Path> defaultAgentJar() {
        Path cp = ChildJvm.benchClasspath().toAbsolutePath();
        List<Path> candidates = new ArrayList<>();
        candidates.add(Paths.get("agent", "target", "tcpjmx-agent.jar"));
        // src/bench/target/tcpjmx-bench.jar or src/bench/target/classes: the project root is three levels up.
        Path root = cp.getParent() == null ? null : cp.getParent().getParent();
        if (root != null && root.getParent() != null && root.getParent().getParent() != null) {
            candidates.add(root.getParent().getParent().resolve("agent/target/tcpjmx-agent.jar"));
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst();
    }

    private static Path defaultOut() {
        Path cp = ChildJvm.benchClasspath().toAbsolutePath();
        // Beside the jar (src/bench/target) or beside target/classes.
        return cp.getParent().resolve("bench-results");
    }
}
