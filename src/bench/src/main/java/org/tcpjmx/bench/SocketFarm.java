package org.tcpjmx.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * N ESTABLISHED loopback sockets (N/2 pairs) spread over {@link FarmWorker} processes, each with
 * its own listener port, plus optional TIME_WAIT sockets. The per-process descriptor limit (20,000
 * here) bounds a worker to a few thousand pairs; one listener port per worker keeps any one
 * destination far from running out of ephemeral ports.
 */
final class SocketFarm implements AutoCloseable {
    /** Flags that keep many idle workers cheap on a 2-core host. */
    private static final List<String> WORKER_JVM = List.of("-Xmx128m", "-Xss256k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true");
    // A million sockets: 56 workers build theirs at once on 2 shared cores, and the first waits for all.
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(15);

    private final List<ChildJvm> workers;
    private final List<Integer> ports;
    private final List<Integer> pairsByWorker;
    private final int timeWait;

    private SocketFarm(List<ChildJvm> workers, List<Integer> ports, List<Integer> pairsByWorker, int timeWait) {
        this.workers = workers;
        this.ports = ports;
        this.pairsByWorker = pairsByWorker;
        this.timeWait = timeWait;
    }

    /**
     * Starts the workers in parallel and waits until each has built its sockets.
     *
     * @param established ESTABLISHED sockets wanted (even: two per pair)
     * @param timeWait TIME_WAIT sockets wanted in addition
     * @param maxPairsPerWorker how many pairs one process may hold
     */
    static SocketFarm start(int established, int timeWait, int maxPairsPerWorker) throws IOException {
        if (established < 2 || established % 2 != 0) {
            throw new IllegalArgumentException("a farm holds pairs: " + established + " sockets is not an even number of 2 or more");
        }
        int pairs = established / 2;
        int n = (pairs + maxPairsPerWorker - 1) / maxPairsPerWorker;
        List<Integer> split = new ArrayList<>();
        List<ChildJvm> started = new ArrayList<>();
        boolean ok = false;
        try {
            for (int i = 0; i < n; i++) {
                int p = pairs / n + (i < pairs % n ? 1 : 0);
                int tw = timeWait / n + (i < timeWait % n ? 1 : 0);
                split.add(p);
                started.add(ChildJvm.startMain("farm-worker-" + i, WORKER_JVM, FarmWorker.class.getName(),
                        List.of("--pairs", Integer.toString(p), "--time-wait", Integer.toString(tw))));
            }
            List<Integer> ports = new ArrayList<>();
            for (ChildJvm w : started) {
                String line = w.awaitLine(READY_TIMEOUT, "READY", "FAILED");
                if (line.startsWith("FAILED")) {
                    throw new IOException(w.name() + " could not build its sockets: " + line);
                }
                ports.add(Integer.parseInt(field(line, "port")));
            }
            ok = true;
            return new SocketFarm(started, Collections.unmodifiableList(ports), List.copyOf(split), timeWait);
        } finally {
            if (!ok) {
                started.forEach(ChildJvm::close);
            }
        }
    }

    private static String field(String line, String key) {
        for (String token : line.split(" ")) {
            if (token.startsWith(key + "=")) {
                return token.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("no " + key + "= in worker line '" + line + "'");
    }

    /** Each worker's listener port. */
    List<Integer> ports() {
        return ports;
    }

    /** Pairs held by the worker at {@code index}. */
    int pairs(int index) {
        return pairsByWorker.get(index);
    }

    int workerCount() {
        return workers.size();
    }

    int established() {
        return 2 * pairsByWorker.stream().mapToInt(Integer::intValue).sum();
    }

    int timeWait() {
        return timeWait;
    }

    /**
     * {@code src 127.0.0.1:P1 or src 127.0.0.1:P2 ...} over the first {@code count} workers: their
     * accepted (server) sockets, by the listeners' address and port (another process's client on
     * 127.0.0.2 may have the same port, and a drop must never reach it).
     */
    String serverSidePorts(int count) {
        return ports.subList(0, count).stream().map(p -> "src 127.0.0.1:" + p).collect(Collectors.joining(" or "));
    }

    /** The fewest leading workers whose server sockets reach {@code wanted} (all workers when they have fewer). */
    int workersFor(int wanted) {
        int sum = 0;
        for (int i = 0; i < pairsByWorker.size(); i++) {
            sum += pairsByWorker.get(i);
            if (sum >= wanted) {
                return i + 1;
            }
        }
        return pairsByWorker.size();
    }

    /** Server sockets held by the first {@code count} workers. */
    int serverSockets(int count) {
        return pairsByWorker.subList(0, count).stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void close() {
        // Closing every worker's input first lets them all reset their sockets in parallel.
        workers.forEach(ChildJvm::closeInput);
        workers.forEach(ChildJvm::close);
    }
}
