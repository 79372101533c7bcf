package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.jolokia.json.JSONArray;
import org.jolokia.json.JSONObject;
import org.jolokia.json.parser.JSONParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * "100,000 sockets and an agent on a small heap": a farm of child processes holds 100,000
 * ESTABLISHED loopback sockets; a target JVM with -Xmx64m, then one with -Xmx128m, runs the demo
 * server with the agent. Every way to rows is asked at its worst (no filter, no limit; the whole
 * MBean; a Jolokia bulk; the breakdowns; list-mode drops of every socket; over Jolokia and over the
 * JVM's own RMI connector), first one at a time on the smaller heap (each must give its documented
 * answer: the rows when they fit, else the refusal with the count, the budget and the way out),
 * then 8 at once on both (busy is a fair answer too; any other answer must be the documented one). Meanwhile the demo keeps echoing its own traffic, and full GCs
 * forced in the target every few dozen milliseconds show its live heap never above its baseline
 * plus the answer budget. Figures go to target/reliability/memory.md.
 */
class MemoryBudgetIT {
    private static final int SOCKETS = 100_000;
    /** 2 × 8,334 descriptors a process: inside the 20,000 per process. */
    private static final int FARM_PROCESSES = 6;
    private static final int CLIENTS = 8;
    private static final String CONNECTIONS = "org.tcpjmx:type=Connections";
    private static final String STATES = "org.tcpjmx:type=States";
    private static final String DROP = "org.tcpjmx:type=Drop";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static final List<JvmProcess> farm = new ArrayList<>();
    private static final StringBuilder report = new StringBuilder("# Answer budget at 100,000 sockets\n\n");

    @BeforeAll
    static void startFarm() throws Exception {
        String classes = Paths.get(SocketFarmMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        int pairs = SOCKETS / 2;
        long t0 = System.nanoTime();
        for (int i = 0; i < FARM_PROCESSES; i++) {
            int p = pairs / FARM_PROCESSES + (i < pairs % FARM_PROCESSES ? 1 : 0);
            farm.add(JvmProcess.start(List.of(JvmProcess.java(), "-Xmx32m", "-Xss256k", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", classes, SocketFarmMain.class.getName(), Integer.toString(p))));
        }
        for (JvmProcess w : farm) {
            w.awaitOut(l -> l.startsWith("FARM READY"), 120);
        }
        report.append("Farm: ").append(SOCKETS).append(" ESTABLISHED sockets in ").append(FARM_PROCESSES)
                .append(" processes, built in ").append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).append(" ms\n\n");
    }

    @AfterAll
    static void stopFarm() {
        for (JvmProcess w : farm) {
            w.close();
        }
        Reports.write("memory", report.toString());
    }

    @ParameterizedTest(name = "-Xmx{0}m")
    @ValueSource(ints = {64, 128})
    void everyWayToRowsAtItsWorstStaysWithinTheBudget(int heapMb) throws Exception {
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of("-Xmx" + heapMb + "m", Targets.javaagent("port=0")),
                Targets.quietDemo().toArray(new String[0]))) {
            int demoPort = demo.awaitReady();
            String url = Targets.url(demo);
            try (LocalJmx jmx = LocalJmx.connect(demo.pid())) {
                run(heapMb, demo, demoPort, url, jmx.server());
            }
            assertFalse(demo.stderr().stream().anyMatch(l -> l.contains("OutOfMemoryError")), "no OutOfMemoryError");
            Targets.assertNoStackTrace(demo);
        }
    }

    private static void run(int heapMb, JvmProcess demo, int demoPort, String url, MBeanServerConnection rmi) throws Exception {
        ObjectName connections = new ObjectName(CONNECTIONS);
        long budget = (Long) rmi.getAttribute(connections, "AnswerBudgetBytes");
        long maxHeap = ((javax.management.openmbean.CompositeData) rmi.getAttribute(new ObjectName("java.lang:type=Memory"),
                "HeapMemoryUsage")).get("max") instanceof Long m ? m : -1;
        assertTrue(Math.abs(budget - Math.min(64L << 20, maxHeap / 10)) < maxHeap / 50,
                "the default budget is 10% of the max heap (" + maxHeap + "): " + budget);
        long count = (Long) rmi.getAttribute(connections, "Count");
        assertTrue(count >= SOCKETS, "the host holds the farm's sockets: " + count);
        int pageRows = (Integer) rmi.getAttribute(connections, "PageRows");
        rmi.setAttribute(connections, new Attribute("RowLimit", 0));

        List<Request> requests = requests(url, rmi, pageRows);
        // One at a time, on the smaller heap (its budget is the tightest): each gives its documented answer.
        // This also loads every class the load will use; the larger heap goes straight to the load, lean.
        StringBuilder alone = new StringBuilder();
        for (Request r : heapMb == 64 ? requests : List.<Request>of()) {
            long t = System.nanoTime();
            String outcome = r.call();
            assertTrue(!outcome.startsWith("busy") && !outcome.startsWith("UNEXPECTED"), r.name + " alone: " + outcome);
            alone.append(r.name).append(' ').append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t)).append(" ms, ");
        }

        long baseline = liveHeap(rmi);
        HeapProbe probe = new HeapProbe(rmi);
        EchoProbe echo = new EchoProbe(demoPort);
        Thread heapThread = daemon(probe, "heap-probe");
        Thread echoThread = daemon(echo, "echo-probe");
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<String>>> clients = new ArrayList<>();
        long t0 = System.nanoTime();
        // Client c asks requests c, c + 8, ...: every request runs while 7 others do.
        for (int c = 0; c < CLIENTS; c++) {
            List<Request> mine = new ArrayList<>();
            for (int i = c; i < Math.max(requests.size(), 2 * CLIENTS); i += CLIENTS) {
                mine.add(requests.get(i % requests.size()));
            }
            clients.add(pool.submit(() -> {
                List<String> outcomes = new ArrayList<>();
                for (Request r : mine) {
                    outcomes.add(r.name + ": " + r.call());
                }
                return outcomes;
            }));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<List<String>> f : clients) {
            outcomes.addAll(f.get(300, TimeUnit.SECONDS));
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        pool.shutdown();
        probe.stop.set(true);
        echo.stop.set(true);
        heapThread.join(10_000);
        echoThread.join(10_000);

        long busy = outcomes.stream().filter(o -> o.contains(": busy")).count();
        report.append("## -Xmx").append(heapMb).append("m\n\n")
                .append("- answer budget ").append(mb(budget)).append(" MiB, page ").append(pageRows).append(" rows\n")
                .append("- one at a time: ").append(alone).append("\n")
                .append("- ").append(CLIENTS).append(" clients at once, ").append(outcomes.size()).append(" requests: ").append(elapsed)
                .append(" ms, ").append(busy).append(" answered busy\n")
                .append("- live heap (full GC forced ").append(probe.samples.get()).append(" times during the load): baseline ")
                .append(mb(baseline)).append(" MiB, highest ").append(mb(probe.max.get())).append(" MiB, limit ")
                .append(mb(baseline + budget)).append(" MiB\n")
                .append("- the demo's own echo: ").append(echo.answered.get()).append(" answered, slowest ")
                .append(echo.slowestMillis.get()).append(" ms, failures: ").append(echo.failures).append("\n\n");

        assertTrue(probe.samples.get() >= 5, "the heap was sampled during the load: " + probe.samples.get());
        assertTrue(probe.max.get() <= baseline + budget, "live heap " + mb(probe.max.get()) + " MiB stays within baseline "
                + mb(baseline) + " MiB + budget " + mb(budget) + " MiB");
        assertTrue(echo.failures.isEmpty(), "the host kept serving its own traffic: " + echo.failures);
        assertTrue(echo.answered.get() > 0, "the echo was tried during the load");
        for (String o : outcomes) {
            assertFalse(o.contains("UNEXPECTED"), o);
        }
        assertTrue(demo.isAlive());
    }

    /** One request and the check of its answer: "ok ..." or "refused ..." or "busy ..." or "UNEXPECTED ...". */
    private record Request(String name, Call body) {
        String call() {
            try {
                return body.run();
            } catch (Exception | AssertionError e) {
                return "UNEXPECTED " + e;
            }
        }
    }

    private interface Call {
        String run() throws Exception;
    }

    private static List<Request> requests(String url, MBeanServerConnection rmi, int pageRows) throws Exception {
        ObjectName connections = new ObjectName(CONNECTIONS);
        String sockets = "sockets match";
        List<Request> out = new ArrayList<>();
        out.add(new Request("query('', 0)", () -> refused(exec(url, CONNECTIONS, "query", "", 0), sockets, "queryPage(")));
        out.add(new Request("queryWithInfo('', 0)",
                () -> refused(exec(url, CONNECTIONS, "queryWithInfo", "", 0), sockets, "queryPageWithInfo")));
        out.add(new Request("read Connections, RowLimit 0",
                () -> refused(post(url, "{\"type\":\"read\",\"mbean\":\"" + CONNECTIONS + "\",\"attribute\":\"Connections\"}"),
                        sockets, "RowLimit is 0")));
        out.add(new Request("read the whole MBean", () -> refused(get(url + "read/" + CONNECTIONS), sockets, "RowLimit is 0")));
        out.add(new Request("bulk of 2 pages of half the budget", () -> bulkOfPages(url, 2 * pageRows)));
        out.add(new Request("queryPageWithInfo('', '', 0)", () -> {
            Object answer = exec(url, CONNECTIONS, "queryPageWithInfo", "", "", 0);
            return pageOf(answer, Math.max(1, pageRows / 2));
        }));
        out.add(new Request("byLocalPort('')", () -> refused(exec(url, STATES, "byLocalPort", ""), sockets, "distinct keys")));
        out.add(new Request("byRemoteAddress('', 0)", () -> {
            Object answer = exec(url, STATES, "byRemoteAddress", "", 0);
            if (answer instanceof JSONObject o && o.get("value") instanceof List<?> rows && !rows.isEmpty()) {
                return "ok " + rows.size() + " rows";
            }
            return busyOr(answer);
        }));
        out.add(new Request("dropAll(listOnly)", () -> refused(exec(url, DROP, "dropAll", true), "connections match", "queryPage")));
        out.add(new Request("dropMatching('state established', listOnly)",
                () -> refused(exec(url, DROP, "dropMatching", "state established", true), "connections match", "queryPage")));
        out.add(new Request("RMI query('', 0)", () -> {
            try {
                rmi.invoke(connections, "query", new Object[] {"", 0}, new String[] {"java.lang.String", "java.lang.Integer"});
                return "UNEXPECTED rows over the budget";
            } catch (RuntimeMBeanException e) {
                return rmiRefusal(e, sockets);
            }
        }));
        out.add(new Request("RMI queryPage('', '', 0)", () -> {
            try {
                CompositeData page = (CompositeData) rmi.invoke(connections, "queryPage", new Object[] {"", "", 0},
                        new String[] {"java.lang.String", "java.lang.String", "java.lang.Integer"});
                int rows = ((CompositeData[]) page.get("rows")).length;
                return rows == pageRows && !((String) page.get("next")).isEmpty() ? "ok " + rows + " rows"
                        : "UNEXPECTED page of " + rows + " rows, next '" + page.get("next") + "'";
            } catch (RuntimeMBeanException e) {
                return rmiRefusal(e, "busy");
            }
        }));
        out.add(new Request("RMI getAttributes(every attribute)", () -> {
            AttributeList all = rmi.getAttributes(connections, new String[] {"Count", "Connections", "RowLimit"});
            List<String> names = all.asList().stream().map(Attribute::getName).toList();
            return names.equals(List.of("Count", "RowLimit")) ? "ok Connections left out" : "UNEXPECTED " + names;
        }));
        return out;
    }

    private static String rmiRefusal(RuntimeMBeanException e, String expected) {
        String m = String.valueOf(e.getCause() == null ? null : e.getCause().getMessage());
        if (m.contains("busy:")) {
            return "busy " + m;
        }
        if (expected.equals("busy")) {
            return "UNEXPECTED " + m;
        }
        assertInstanceOf(IllegalArgumentException.class, e.getCause(), m);
        return m.contains(expected) && m.contains("answer budget") ? "refused " + m : "UNEXPECTED " + m;
    }

    /** A Jolokia error answer naming the count, the budget and the way out; or busy. */
    private static String refused(Object answer, String count, String wayOut) {
        if (answer instanceof JSONObject o && o.get("error") != null) {
            String error = String.valueOf(o.get("error"));
            if (error.contains("busy:")) {
                return "busy " + error;
            }
            if (error.contains(count) && error.contains("answer budget") && error.contains(wayOut)) {
                return "refused " + error;
            }
        }
        return "UNEXPECTED " + abbreviated(answer);
    }

    private static String busyOr(Object answer) {
        if (answer instanceof JSONObject o && String.valueOf(o.get("error")).contains("busy:")) {
            return "busy " + o.get("error");
        }
        return "UNEXPECTED " + abbreviated(answer);
    }

    private static String pageOf(Object answer, int atLeast) {
        if (answer instanceof JSONObject o && o.get("value") instanceof Map<?, ?> page && page.get("rows") instanceof List<?> rows) {
            return rows.size() >= atLeast && !String.valueOf(page.get("next")).isEmpty() ? "ok " + rows.size() + " rows"
                    : "UNEXPECTED page of " + rows.size() + " rows";
        }
        return busyOr(answer);
    }

    /** Two pages of half the budget each in one bulk request: both answers are held until the exchange is written. */
    private static String bulkOfPages(String url, int pageRows) throws Exception {
        String page = "{\"type\":\"exec\",\"mbean\":\"" + CONNECTIONS + "\",\"operation\":\"queryPage\",\"arguments\":[\"\",\"\","
                + pageRows + "]}";
        Object answer = post(url, "[" + String.join(",", Collections.nCopies(2, page)) + "]");
        if (!(answer instanceof JSONArray all) || all.size() != 2) {
            return "UNEXPECTED " + abbreviated(answer);
        }
        List<String> each = new ArrayList<>();
        for (Object a : all) {
            each.add(pageOf(a, pageRows).split(" ")[0]);
        }
        return each.contains("UNEXPECTED") ? "UNEXPECTED bulk " + each : "ok bulk " + each;
    }

    private static Object exec(String url, String mbean, String operation, Object... args) throws Exception {
        JSONObject request = new JSONObject();
        request.put("type", "exec");
        request.put("mbean", mbean);
        request.put("operation", operation);
        request.put("arguments", List.of(args));
        return post(url, request.toJSONString());
    }

    private static Object post(String url, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Object get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private static Object send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        return new JSONParser().parse(r.body());
    }

    private static String abbreviated(Object answer) {
        String s = String.valueOf(answer);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** Heap in use right after a full GC of the target: its live set. */
    private static long liveHeap(MBeanServerConnection rmi) throws Exception {
        ObjectName memory = new ObjectName("java.lang:type=Memory");
        rmi.invoke(memory, "gc", null, null);
        return (Long) ((CompositeData) rmi.getAttribute(memory, "HeapMemoryUsage")).get("used");
    }

    /** Forces full GCs in the target while the load runs, keeping the highest live heap seen. */
    private static final class HeapProbe implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong max = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        private final MBeanServerConnection rmi;

        HeapProbe(MBeanServerConnection rmi) {
            this.rmi = rmi;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                try {
                    max.accumulateAndGet(liveHeap(rmi), Math::max);
                    samples.incrementAndGet();
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    max.set(Long.MAX_VALUE);
                    return;
                }
            }
        }
    }

    /** The demo's own traffic: a new connection to its echo port every 100 ms, each line timed. */
    private static final class EchoProbe implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong slowestMillis = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final int port;

        EchoProbe(int port) {
            this.port = port;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                long t0 = System.nanoTime();
                try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    out.write("ping\n".getBytes(StandardCharsets.UTF_8));
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    if (!"ping".equals(line)) {
                        failures.add("echo answered " + line);
                    }
                    answered.incrementAndGet();
                    slowestMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Math::max);
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << 20));
    }
}
