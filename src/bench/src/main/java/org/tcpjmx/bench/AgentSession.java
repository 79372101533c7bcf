package org.tcpjmx.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent attached to an idle JVM, reached over Jolokia HTTP: how long {@code attach} takes to a
 * first answer, how much heap the agent keeps while idle, and the histogram read over HTTP.
 */
final class AgentSession implements AutoCloseable {
    static final String HISTOGRAM_PATH = "read/org.tcpjmx:type=States/Histogram";
    private static final Pattern URL = Pattern.compile("(http://[^\\s\"']+)");
    private static final Pattern NUMBER_VALUE = Pattern.compile("\"[A-Z_]+\"\\s*:\\s*(\\d+)");
    // A read of org.tcpjmx:* at a million sockets on a loaded machine takes tens of seconds.
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);

    private final ChildJvm target;
    private final HttpClient http;
    private final URI histogram;
    private final URI base;
    private final double attachMillis;
    private final double urlMillis;
    private final long idleHeapBytes;
    private final double cpuBeforeAttach;

    private AgentSession(ChildJvm target, HttpClient http, URI histogram, double attachMillis, double urlMillis,
                         long idleHeapBytes, double cpuBeforeAttach) {
        this.target = target;
        this.http = http;
        this.histogram = histogram;
        String h = histogram.toString();
        this.base = URI.create(h.substring(0, h.length() - HISTOGRAM_PATH.length()));
        this.attachMillis = attachMillis;
        this.urlMillis = urlMillis;
        this.idleHeapBytes = idleHeapBytes;
        this.cpuBeforeAttach = cpuBeforeAttach;
    }

    /**
     * Starts an idle JVM, measures its heap, attaches the agent ({@code java -jar AGENT attach PID
     * port=0}, which prints the Jolokia URL), times until the first histogram answer, lets the agent
     * settle and measures the heap again. With a CPU window, the idle JVM's own CPU is measured over
     * it first, before the agent is there: the peer of the agent's CPU figures.
     */
    static AgentSession attach(Path agentJar, Duration cpuWindow) throws IOException, InterruptedException {
        ChildJvm target = ChildJvm.startMain("agent-target", List.of("-XX:+UseSerialGC"), FarmWorker.class.getName(),
                List.of("--pairs", "0"));
        boolean ok = false;
        try {
            target.awaitLine(Duration.ofSeconds(60), "READY");
            long heapBefore = heap(target);
            double cpuBefore = cpuWindow.isZero() ? Double.NaN : cpuPercent(target.pid(), cpuWindow, Duration.ZERO, null);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            long t0 = System.nanoTime();
            URI url;
            try (ChildJvm cli = ChildJvm.start("agent-attach", List.of(ChildJvm.javaExecutable(), "-jar",
                    agentJar.toString(), "attach", Long.toString(target.pid()), "port=0"))) {
                String line = cli.awaitLine(ANSWER_TIMEOUT, "http://", "Jolokia", "jolokia", "URL", "url", "Agent", "agent", "tcpjmx");
                Matcher m = URL.matcher(line);
                while (!m.find()) {
                    line = cli.awaitLine(ANSWER_TIMEOUT, "");
                    m = URL.matcher(line);
                }
                String base = m.group(1);
                url = URI.create((base.endsWith("/") ? base : base + "/") + HISTOGRAM_PATH);
            }
            long tUrl = System.nanoTime();
            String first = awaitAnswer(http, url, t0);
            long t1 = System.nanoTime();
            if (sumCounts(first) < 0) {
                throw new IOException("the first Jolokia answer holds no histogram: " + first);
            }
            Thread.sleep(1000);
            long heapAfter = heap(target);
            ok = true;
            return new AgentSession(target, http, url, (t1 - t0) / 1e6, (tUrl - t0) / 1e6, Math.max(0, heapAfter - heapBefore),
                    cpuBefore);
        } finally {
            if (!ok) {
                target.close();
            }
        }
    }

    private static String awaitAnswer(HttpClient http, URI url, long since) throws IOException, InterruptedException {
        IOException last = null;
        while (System.nanoTime() - since < ANSWER_TIMEOUT.toNanos()) {
            try {
                return get(http, url);
            } catch (IOException e) {
                last = e;
                Thread.sleep(5);
            }
        }
        throw new IOException("no answer from " + url + " within " + ANSWER_TIMEOUT, last);
    }

    private static String get(HttpClient http, URI url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(ANSWER_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"status\":200")) {
            throw new IOException(url + " answered HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static long heap(ChildJvm target) throws IOException {
        target.send("heap");
        return Long.parseLong(target.awaitLine(Duration.ofSeconds(60), "HEAP ").substring(5).trim());
    }

    /** The sum of the per-state counts in a Jolokia histogram answer, -1 when it has none. */
    static long sumCounts(String json) {
        Matcher m = NUMBER_VALUE.matcher(json);
        long sum = -1;
        while (m.find()) {
            sum = Math.max(sum, 0) + Long.parseLong(m.group(1));
        }
        return sum;
    }

    /** Issue 18's requests: what a dashboard or an exporter asks. */
    static final String STATES_PATH = "read/org.tcpjmx:type=States";
    static final String COUNT_PATH = "read/org.tcpjmx:type=Connections/Count";
    static final String TIME_WAIT_PATH = "read/org.tcpjmx:type=States/TimeWait";
    static final String EVERYTHING_PATH = "read/org.tcpjmx:*";
    /** Every MBean of org.tcpjmx with every attribute but the Connections row table, as one bulk request. */
    static final String SCRAPE_BULK = "["
            + "{\"type\":\"read\",\"mbean\":\"org.tcpjmx:type=States\"},"
            + "{\"type\":\"read\",\"mbean\":\"org.tcpjmx:type=Statistics\"},"
            + "{\"type\":\"read\",\"mbean\":\"org.tcpjmx:type=Settings\"},"
            + "{\"type\":\"read\",\"mbean\":\"org.tcpjmx:type=Agent\"},"
            + "{\"type\":\"read\",\"mbean\":\"org.tcpjmx:type=Connections\",\"attribute\":[\"Count\",\"Backend\",\"RowLimit\"]}]";
    /** The histogram operation with an empty filter: one counting dump, no snapshot, the peer of the reads above. */
    static final String HISTOGRAM_EXEC = "{\"type\":\"exec\",\"mbean\":\"org.tcpjmx:type=States\",\"operation\":\"histogram\","
            + "\"arguments\":[\"\"]}";
    private static final Pattern TOTAL = Pattern.compile("\"Total\"\\s*:\\s*(\\d+)");
    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*(\\d+)");

    /** Sets States.SnapshotMaxAgeMillis: 0 makes every request walk, so each figure is one request's own cost. */
    void setSnapshotMaxAge(long millis) throws IOException, InterruptedException {
        post("{\"type\":\"write\",\"mbean\":\"org.tcpjmx:type=States\",\"attribute\":\"SnapshotMaxAgeMillis\",\"value\":"
                + millis + "}");
    }

    /** GET of a path under the agent's URL; the Total it shows, else the first number value, else -1. */
    long read(String path) throws IOException, InterruptedException {
        return figure(get(http, base.resolve(path)));
    }

    /** POST of a Jolokia request (or bulk request) body; the Total it shows, else -1. */
    long post(String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base).timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"status\":200") || r.body().contains("\"status\":4")
                || r.body().contains("\"status\":5")) {
            throw new IOException(base + " answered HTTP " + r.statusCode() + " to " + body + ": " + r.body());
        }
        Matcher t = TOTAL.matcher(r.body());
        return t.find() ? Long.parseLong(t.group(1)) : sumCounts(r.body());
    }

    private static long figure(String json) {
        Matcher t = TOTAL.matcher(json);
        if (t.find()) {
            return Long.parseLong(t.group(1));
        }
        Matcher v = VALUE.matcher(json);
        return v.find() ? Long.parseLong(v.group(1)) : -1;
    }

    /** Reads the histogram over HTTP once; the sockets it counted. */
    long histogramOverHttp() throws IOException, InterruptedException {
        return sumCounts(get(http, histogram));
    }

    double attachMillis() {
        return attachMillis;
    }

    /** Of {@link #attachMillis()}, the part until the attach command had printed the URL and exited. */
    double urlMillis() {
        return urlMillis;
    }

    /** The host JVM's CPU over the window before the agent was attached, % of one core; NaN without a window. */
    double cpuBeforeAttach() {
        return cpuBeforeAttach;
    }

    /** The attached JVM's CPU over {@code window}, nothing asked of the agent, % of one core. */
    double cpuIdle(Duration window) throws IOException, InterruptedException {
        return cpuPercent(target.pid(), window, Duration.ZERO, null);
    }

    /**
     * The attached JVM's CPU over {@code window} with {@code CloseWaitThreshold} set far above any
     * count (the watcher samples at its default interval and never fires), % of one core. The
     * threshold is turned off again afterwards.
     */
    double cpuWatching(Duration window) throws IOException, InterruptedException {
        writeStates("CloseWaitThreshold", WATCH_THRESHOLD);
        try {
            return cpuPercent(target.pid(), window, Duration.ZERO, null);
        } finally {
            writeStates("CloseWaitThreshold", 0);
        }
    }

    /** The attached JVM's CPU over {@code window} with a scrape ({@link #SCRAPE_BULK}) every {@code every}, % of one core. */
    double cpuScraping(Duration window, Duration every) throws IOException, InterruptedException {
        return cpuPercent(target.pid(), window, every, () -> post(SCRAPE_BULK));
    }

    /** A request the CPU window repeats. */
    interface Request {
        void send() throws IOException, InterruptedException;
    }

    /** High enough that no host's CLOSE_WAIT count reaches it: the watcher samples but never notifies. */
    static final long WATCH_THRESHOLD = 1_000_000_000L;

    private static double cpuPercent(long pid, Duration window, Duration every, Request request)
            throws IOException, InterruptedException {
        double cpu0 = ProcessCpu.millis(pid);
        long t0 = System.nanoTime();
        long end = t0 + window.toNanos();
        long next = t0;
        while (true) {
            long now = System.nanoTime();
            if (request != null && now >= next && now < end) {
                request.send();
                next += every.toNanos();
                continue;
            }
            long until = request == null ? end : Math.min(end, next);
            if (now >= end) {
                break;
            }
            Thread.sleep(Math.max(1, (until - now) / 1_000_000));
        }
        double cpu1 = ProcessCpu.millis(pid);
        double wall = (System.nanoTime() - t0) / 1e6;
        return 100 * (cpu1 - cpu0) / wall;
    }

    private void writeStates(String attribute, long value) throws IOException, InterruptedException {
        post("{\"type\":\"write\",\"mbean\":\"org.tcpjmx:type=States\",\"attribute\":\"" + attribute + "\",\"value\":"
                + value + "}");
    }

    long idleHeapBytes() {
        return idleHeapBytes;
    }

    URI histogramUrl() {
        return histogram;
    }

    @Override
    public void close() {
        target.close();
    }
}
