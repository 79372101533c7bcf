package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.jolokia.json.parser.JSONParser;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * "32 dashboards poll a service whose table churns": 32 concurrent Jolokia clients (each its own
 * {@link HttpClient}, each sending its next request when the last is answered) read the state
 * histogram and query the table with a filter and a limit, for {@code tcpjmx.load.seconds} (20 by
 * default), while a churn process opens and closes about 500 connections a second on loopback. No
 * answer may be a server error or an error at all; the target's heap (read over its own JMX
 * connector, not through the agent) stays within its -Xmx and returns to its baseline after a full
 * GC. Latency percentiles are figures, reported in target/reliability/load.md, never asserted.
 */
class LoadIT {
    private static final int CLIENTS = 32;
    private static final int CHURN_PER_SECOND = 500;
    private static final int CHURN_OPEN = 2500;
    private static final long HEAP_MAX_MB = 256;
    /** After a full GC the target's heap may hold this much more than before the load (caches warmed, JIT data). */
    private static final long HEAP_TOLERANCE_MB = 24;

    @Test
    void thirtyTwoClientsWhileTenThousandConnectionsComeAndGo() throws Exception {
        int seconds = Integer.getInteger("tcpjmx.load.seconds", 20);
        String testClasses = Paths.get(ChurnMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of("-Xmx" + HEAP_MAX_MB + "m", Targets.javaagent("port=0")),
                Targets.quietDemo().toArray(new String[0]));
             JvmProcess churn = JvmProcess.start(List.of(JvmProcess.java(), "-cp", testClasses, ChurnMain.class.getName(),
                     Integer.toString(CHURN_PER_SECOND), Integer.toString(CHURN_OPEN)))) {
            demo.awaitReady();
            String url = Targets.url(demo);
            // Not before the JVM is up: its management agent answers an attach during start-up with an error.
            try (LocalJmx jmx = LocalJmx.connect(demo.pid())) {
                run(seconds, demo, churn, jmx, url);
            }
        }
    }

    private static void run(int seconds, JvmProcess demo, JvmProcess churn, LocalJmx jmx, String url) throws Exception {
        int churnPort = Integer.parseInt(churn.awaitOut(l -> l.startsWith("CHURN port="), 30).substring("CHURN port=".length()));
        ObjectName memory = new ObjectName("java.lang:type=Memory");
        long baseline = heapAfterGc(jmx, memory);
        long hostSocketsBefore = count(jmx);

        HeapSampler heap = new HeapSampler(jmx, memory);
        Thread sampler = new Thread(heap, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        String query = "{\"type\":\"exec\",\"mbean\":\"org.tcpjmx:type=Connections\",\"operation\":\"query\",\"arguments\":"
                + "[\"src 127.0.0.1:" + churnPort + " and state established\",50]}";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Client>> futures = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            futures.add(pool.submit(new Client(url, query, deadline)));
        }
        List<Long> histogramNanos = new ArrayList<>();
        List<Long> queryNanos = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long maxRows = 0;
        for (Future<Client> f : futures) {
            Client c = f.get(seconds + 120L, TimeUnit.SECONDS);
            histogramNanos.addAll(c.histogramNanos);
            queryNanos.addAll(c.queryNanos);
            errors.addAll(c.errors);
            maxRows = Math.max(maxRows, c.maxRows);
        }
        pool.shutdown();
        long hostSocketsDuring = count(jmx);
        heap.stop();
        sampler.join(5000);
        churn.send("stop");
        String churned = churn.awaitOut(l -> l.startsWith("CHURNED "), 60);
        long after = heapAfterGc(jmx, memory);

        String report = report(seconds, histogramNanos, queryNanos, errors, churned, hostSocketsBefore, hostSocketsDuring, maxRows,
                baseline, heap, after);
        Reports.write("load", report);

        assertEquals(List.of(), errors.subList(0, Math.min(10, errors.size())), errors.size() + " error answers");
        assertTrue(histogramNanos.size() > CLIENTS && queryNanos.size() > CLIENTS, "every client was answered: " + report);
        long opened = Long.parseLong(churned.replaceAll(".*opened=(\\d+).*", "$1"));
        assertTrue(opened >= Math.min(10_000, CHURN_PER_SECOND * (long) seconds / 2), "the churn ran: " + churned);
        assertTrue(maxRows > 0 && maxRows <= 50, "queries saw the churn's connections, at most the limit: " + maxRows);
        assertTrue(heap.maxUsed.get() < HEAP_MAX_MB << 20, "heap within -Xmx");
        assertTrue(after <= baseline + (HEAP_TOLERANCE_MB << 20),
                "heap after a full GC returns to its baseline: " + mb(baseline) + " MB before, " + mb(after) + " MB after");
        assertTrue(demo.isAlive());
        assertFalse(demo.stderr().stream().anyMatch(l -> l.contains("OutOfMemoryError")), "no OutOfMemoryError");
        Targets.assertNoStackTrace(demo);
    }

    /** One dashboard: histogram, query, histogram, ... until the deadline; every answer timed. */
    private static final class Client implements java.util.concurrent.Callable<Client> {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final HttpRequest histogram;
        private final HttpRequest query;
        private final long deadline;
        final List<Long> histogramNanos = new ArrayList<>();
        final List<Long> queryNanos = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        long maxRows;

        Client(String url, String queryBody, long deadline) {
            this.histogram = HttpRequest.newBuilder(URI.create(url + "read/org.tcpjmx:type=States/Histogram")).timeout(Duration.ofSeconds(60)).build();
            this.query = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(queryBody)).build();
            this.deadline = deadline;
        }

        @Override
        public Client call() {
            boolean read = true;
            while (System.nanoTime() < deadline) {
                HttpRequest r = read ? histogram : query;
                long start = System.nanoTime();
                try {
                    HttpResponse<String> answer = http.send(r, HttpResponse.BodyHandlers.ofString());
                    long took = System.nanoTime() - start;
                    (read ? histogramNanos : queryNanos).add(took);
                    check(answer, read);
                } catch (IOException e) {
                    errors.add((read ? "histogram" : "query") + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return this;
                }
                read = !read;
            }
            return this;
        }

        private void check(HttpResponse<String> answer, boolean read) {
            Object json;
            try {
                json = new JSONParser().parse(answer.body());
            } catch (Exception e) {
                errors.add("HTTP " + answer.statusCode() + " no JSON: " + answer.body());
                return;
            }
            Map<?, ?> m = json instanceof Map ? (Map<?, ?>) json : Map.of();
            if (answer.statusCode() != 200 || !Long.valueOf(200).equals(m.get("status"))) {
                errors.add("HTTP " + answer.statusCode() + ": " + answer.body());
            } else if (read && ((Map<?, ?>) m.get("value")).size() != 11) {
                errors.add("histogram without its eleven states: " + answer.body());
            } else if (!read) {
                maxRows = Math.max(maxRows, ((List<?>) m.get("value")).size());
            }
        }
    }

    /** The target's heap, sampled every 100 ms over its own JMX connector. */
    private static final class HeapSampler implements Runnable {
        private final LocalJmx jmx;
        private final ObjectName memory;
        private volatile boolean running = true;
        final AtomicLong maxUsed = new AtomicLong();
        final AtomicLong maxCommitted = new AtomicLong();
        final AtomicLong samples = new AtomicLong();

        HeapSampler(LocalJmx jmx, ObjectName memory) {
            this.jmx = jmx;
            this.memory = memory;
        }

        @Override
        public void run() {
            while (running) {
                try {
                    MemoryUsage u = MemoryUsage.from((CompositeData) jmx.server().getAttribute(memory, "HeapMemoryUsage"));
                    maxUsed.accumulateAndGet(u.getUsed(), Math::max);
                    maxCommitted.accumulateAndGet(u.getCommitted(), Math::max);
                    samples.incrementAndGet();
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    throw new IllegalStateException("cannot read the target's heap: " + e, e);
                }
            }
        }

        void stop() {
            running = false;
        }
    }

    private static long heapAfterGc(LocalJmx jmx, ObjectName memory) throws Exception {
        for (int i = 0; i < 3; i++) {
            jmx.server().invoke(memory, "gc", new Object[0], new String[0]);
        }
        return MemoryUsage.from((CompositeData) jmx.server().getAttribute(memory, "HeapMemoryUsage")).getUsed();
    }

    private static long count(LocalJmx jmx) throws Exception {
        return ((Number) jmx.server().getAttribute(new ObjectName("org.tcpjmx:type=Connections"), "Count")).longValue();
    }

    private static String report(int seconds, List<Long> histogram, List<Long> query, List<String> errors, String churned,
            long socketsBefore, long socketsDuring, long maxRows, long baseline, HeapSampler heap, long after) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Load: %d clients for %d s, %s (%d/s asked, %d kept open); host sockets %d before, %d at the end%n%n",
                CLIENTS, seconds, churned, CHURN_PER_SECOND, CHURN_OPEN, socketsBefore, socketsDuring));
        sb.append("| request | answers | errors | per second | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|\n");
        sb.append(row("GET read States/Histogram", histogram, errors.stream().filter(e -> e.startsWith("histogram")).count(), seconds));
        sb.append(row("POST exec Connections.query(filter, 50)", query, errors.size() - errors.stream().filter(e -> e.startsWith("histogram")).count(),
                seconds));
        sb.append(String.format(Locale.ROOT, "%nQueries returned at most %d rows. Target heap (-Xmx%dm): %d MB after a full GC before the load,"
                + " peak %d MB used (%d MB committed) over %d samples, %d MB after a full GC at the end.%n",
                maxRows, HEAP_MAX_MB, mb(baseline), mb(heap.maxUsed.get()), mb(heap.maxCommitted.get()), heap.samples.get(), mb(after)));
        if (!errors.isEmpty()) {
            sb.append("\nFirst errors:\n");
            errors.stream().limit(5).forEach(e -> sb.append("- ").append(Reports.cell(e, 300)).append('\n'));
        }
        return sb.toString();
    }

    private static String row(String what, List<Long> nanos, long errors, int seconds) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f |%n", what, sorted.size(), errors,
                sorted.size() / (double) seconds, ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)),
                ms(sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)));
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long mb(long bytes) {
        return bytes >> 20;
    }
}
