package org.tcpjmx.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.filter.FilterParser;
import org.tcpjmx.platform.TableSnapshots;
import org.tcpjmx.platform.TcpHistograms;
import org.tcpjmx.platform.TcpPlatform;
import oshi.SystemInfo;
import oshi.software.os.InternetProtocolStats;

/** Everything measured at one farm size, side by side in one run. */
final class SizeRun {
    /**
     * What one size produced.
     *
     * @param measurements the rows of the table
     * @param targets issue 6's targets evaluated on them
     * @param notes sentences for the reader (what was skipped and why)
     */
    record Result(int size, int workers, List<Measurement> measurements, List<TargetCheck> targets, List<String> notes) {
    }

    private static final long KIB = 1024;
    private static final long MIB = 1024 * 1024;

    private final BenchOptions options;
    private final TcpPlatform platform;
    private final int size;

    SizeRun(BenchOptions options, TcpPlatform platform, int size) {
        this.options = options;
        this.platform = platform;
        this.size = size;
    }

    /** The bulk drops compared, in the order each round runs them. */
    private enum Dropper {
        OURS("drop.ours", "tcpjmx TcpDropper.dropMatching (SOCK_DESTROY each, one verifying dump, audit log)"),
        OURS_QUIET("drop.ours_quiet", "the same with the audit log off (drop logger at WARNING)"),
        PLATFORM("drop.platform", "tcpjmx one dump + TcpPlatform.destroy each (what ss -K does)"),
        SS("drop.ss", "ss -K state established '( src 127.0.0.1:P ... )'");

        final String id;
        final String label;

        Dropper(String id, String label) {
            this.id = id;
            this.label = label;
        }
    }

    Result run() throws Exception {
        List<Measurement> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<Dropper, List<Double>> millis = new EnumMap<>(Dropper.class);
        Map<Dropper, Long> dropped = new EnumMap<>(Dropper.class);
        for (Dropper d : Dropper.values()) {
            millis.put(d, new ArrayList<>());
        }
        int workers;
        int dropWorkers;
        try (SocketFarm farm = SocketFarm.start(size, options.timeWait(), options.pairsPerWorker())) {
            workers = farm.workerCount();
            checkFarm(farm);
            dropWorkers = farm.workersFor(Math.min(options.dropMax(), farm.established() / 2));
            rows.addAll(queries(farm, notes));
            if (options.drop()) {
                // The first drop takes the farm just measured; every other drop a fresh farm of its own.
                drop(Dropper.OURS, farm, dropWorkers, millis, dropped);
            }
        }
        if (options.drop()) {
            for (int round = 0; round < options.dropRounds(); round++) {
                for (Dropper d : Dropper.values()) {
                    if (round == 0 && d == Dropper.OURS) {
                        continue;
                    }
                    try (SocketFarm fresh = freshFarm()) {
                        drop(d, fresh, dropWorkers, millis, dropped);
                    }
                }
            }
            for (Dropper d : Dropper.values()) {
                rows.add(Measurement.timing(size, d.id, d.label, Stats.of(millis.get(d)), dropped.get(d), Double.NaN));
            }
        } else {
            notes.add("bulk drop skipped (--no-drop)");
        }
        return new Result(size, workers, rows, targets(rows), notes);
    }

    private void drop(Dropper d, SocketFarm farm, int dropWorkers, Map<Dropper, List<Double>> millis,
                      Map<Dropper, Long> dropped) throws IOException {
        BulkDrop.Result r;
        switch (d) {
            case OURS:
                r = BulkDrop.ours(platform, farm, dropWorkers, true);
                break;
            case OURS_QUIET:
                r = BulkDrop.ours(platform, farm, dropWorkers, false);
                break;
            case PLATFORM:
                r = BulkDrop.platform(platform, farm, dropWorkers);
                break;
            default:
                r = BulkDrop.ss(platform, farm, dropWorkers);
                break;
        }
        if (r.left() != 0 && d != Dropper.SS) {
            throw new IllegalStateException(d.id + " left " + r.left() + " of " + r.matched() + " farm sockets alive");
        }
        if (r.left() != 0) {
            // The peer's imperfection is a finding, not a reason to throw the whole run away.
            System.err.println("note: " + d.id + " left " + r.left() + " of " + r.matched() + " farm sockets alive");
        }
        millis.get(d).add(r.millis());
        dropped.put(d, r.matched());
    }

    private SocketFarm freshFarm() throws IOException {
        SocketFarm f = SocketFarm.start(size, options.timeWait(), options.pairsPerWorker());
        try {
            checkFarm(f);
            return f;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private List<Measurement> queries(SocketFarm farm, List<String> notes) throws Exception {
        int port = farm.ports().get(0);
        // By the worker's listener address and port: another process's client may have the same port on 127.0.0.2.
        String onePortText = "src 127.0.0.1:" + port;
        Filter onePort = FilterParser.parse(onePortText);
        List<Probe> probes = new ArrayList<>();
        probes.add(new Probe("spawn.true", "process start alone (/bin/true), in every ss figure", false, () -> {
            Process p = new ProcessBuilder("/bin/true").start();
            if (p.waitFor() != 0) {
                throw new IOException("/bin/true failed");
            }
            return -1;
        }));
        probes.add(new Probe("ours.histogram", "tcpjmx histogram(ALL)", true, () -> platform.histogram(Filter.ALL).total()));
        TcpHistograms histograms = new TcpHistograms(platform);
        probes.add(new Probe("ours.snapshot", "tcpjmx snapshot: histogram, own and 100 listening ports, one walk", true,
                () -> histograms.snapshot(100).all().total()));
        probes.add(new Probe("ours.counters", "tcpjmx socketCounters() (/proc/net/sockstat)", false,
                () -> platform.socketCounters().map(c -> c.sockets()).orElse(-1L)));
        probes.add(new Probe("ss.s", "ss -s > /dev/null", false, () -> {
            SsCommand.run(List.of("-s"));
            return -1;
        }));
        probes.add(new Probe("ss.tan", "ss -tan > /dev/null", false, () -> {
            SsCommand.run(List.of("-tan"));
            return -1;
        }));
        probes.add(new Probe("ours.table", "tcpjmx connections(ALL, false)", true, () -> platform.connections(Filter.ALL, false).size()));
        probes.add(new Probe("ours.table_info", "tcpjmx connections(ALL, true) (tcp_info)", true,
                () -> platform.connections(Filter.ALL, true).size()));
        probes.add(new Probe("ss.tani", "ss -tani > /dev/null", false, () -> {
            SsCommand.run(List.of("-tani"));
            return -1;
        }));
        probes.add(new Probe("ours.port", "tcpjmx connections(\"src 127.0.0.1:P\", false), one worker's listener", true,
                () -> platform.connections(onePort, false).size()));
        probes.add(new Probe("ss.port", "ss -tan 'src 127.0.0.1:P' > /dev/null, the same listener", false, () -> {
            SsCommand.run(List.of("-tan", onePortText));
            return -1;
        }));
        if (options.oshi()) {
            InternetProtocolStats ip = new SystemInfo().getOperatingSystem().getInternetProtocolStats();
            probes.add(new Probe("oshi.connections", "OSHI InternetProtocolStats.getConnections()", false,
                    () -> ip.getConnections().size()));
        } else {
            notes.add("OSHI skipped (--no-oshi)");
        }
        List<Measurement> rows = new ArrayList<>();
        if (options.agentJar().isPresent()) {
            try (AgentSession agent = AgentSession.attach(options.agentJar().get(), cpuWindow())) {
                // Sharing off: each request below pays its own walk, so the ratios are one request's cost.
                agent.setSnapshotMaxAge(0);
                probes.add(new Probe("http.histogram", "Jolokia GET " + AgentSession.HISTOGRAM_PATH + " (attached JVM)", false,
                        agent::histogramOverHttp));
                probes.add(new Probe("http.histogram_exec", "Jolokia POST exec States histogram(\"\"): one counting dump", false,
                        () -> agent.post(AgentSession.HISTOGRAM_EXEC)));
                probes.add(new Probe("http.states", "Jolokia GET " + AgentSession.STATES_PATH + " (every attribute)", false,
                        () -> agent.read(AgentSession.STATES_PATH)));
                probes.add(new Probe("http.scrape", "Jolokia bulk read of every org.tcpjmx MBean but the Connections rows", false,
                        () -> agent.post(AgentSession.SCRAPE_BULK)));
                probes.add(new Probe("http.everything", "Jolokia GET " + AgentSession.EVERYTHING_PATH + " (the row table included)",
                        false, () -> agent.read(AgentSession.EVERYTHING_PATH)));
                probes.add(new Probe("http.version", "Jolokia GET version: the HTTP round trip alone, no MBean", false,
                        () -> agent.read("version")));
                probes.add(new Probe("http.count", "Jolokia GET " + AgentSession.COUNT_PATH, false,
                        () -> agent.read(AgentSession.COUNT_PATH)));
                probes.add(new Probe("http.timewait", "Jolokia GET " + AgentSession.TIME_WAIT_PATH, false,
                        () -> agent.read(AgentSession.TIME_WAIT_PATH)));
                rows.addAll(Rounds.run(size, probes, options.warmup(), options.iterations()));
                rows.addAll(cpuRows(agent));
                rows.add(Measurement.timing(size, "agent.attach", "agent attach to first Jolokia answer",
                        Stats.single(agent.attachMillis()), -1, Double.NaN));
                rows.add(Measurement.timing(size, "agent.attach_cli", "of which: the attach command, until it printed the URL and exited",
                        Stats.single(agent.urlMillis()), -1, Double.NaN));
                String h = agent.histogramUrl().toString();
                URI base = URI.create(h.substring(0, h.length() - AgentSession.HISTOGRAM_PATH.length()));
                rows.add(Measurement.timing(size, "http.small_new_connection", "Jolokia GET " + SmallReads.PATH + ", a new connection each (20 reads)",
                        Stats.of(SmallReads.newConnections(base, SmallReads.PATH, 20)), -1, Double.NaN));
                rows.add(Measurement.timing(size, "http.small_keepalive", "Jolokia GET " + SmallReads.PATH + ", 20 reads over one keep-alive connection",
                        Stats.of(SmallReads.keepAlive(base, SmallReads.PATH, 20)), -1, Double.NaN));
                rows.add(Measurement.timing(size, "http.version_new_connection", "Jolokia GET " + SmallReads.VERSION + " (no kernel work), a new connection each (20)",
                        Stats.of(SmallReads.newConnections(base, SmallReads.VERSION, 20)), -1, Double.NaN));
                rows.add(Measurement.timing(size, "http.version_keepalive", "Jolokia GET " + SmallReads.VERSION + " (no kernel work), 20 over one keep-alive connection",
                        Stats.of(SmallReads.keepAlive(base, SmallReads.VERSION, 20)), -1, Double.NaN));
                rows.add(new Measurement(size, "agent.idle_heap", "agent idle heap in the attached JVM (after GC)",
                        Stats.single(agent.idleHeapBytes() / (double) MIB), "MiB", -1, Double.NaN));
            }
        } else {
            notes.add("HTTP figures (Jolokia histogram, attach time, agent idle heap) skipped: no agent jar "
                    + "(build agent/ or pass --agent-jar)");
            rows.addAll(Rounds.run(size, probes, options.warmup(), options.iterations()));
        }
        return rows;
    }

    private static final Duration SCRAPE_EVERY = Duration.ofSeconds(15);

    private Duration cpuWindow() {
        return Duration.ofSeconds(options.cpuWindowSeconds());
    }

    /**
     * The host JVM's CPU, % of one core, each over the same window: before the agent was attached
     * (the peer), with the agent idle, with a threshold watched at the default interval, and with a
     * jmx_exporter-like scrape (every MBean but the row table) every 15 s.
     */
    private List<Measurement> cpuRows(AgentSession agent) throws IOException, InterruptedException {
        if (options.cpuWindowSeconds() == 0) {
            return List.of();
        }
        Duration w = cpuWindow();
        String per = " over " + w.toSeconds() + " s, % of one core (/proc/PID/stat utime+stime)";
        List<Measurement> rows = new ArrayList<>();
        rows.add(cpuRow("cpu.host_before", "host JVM CPU before attach (the peer)" + per, agent.cpuBeforeAttach()));
        rows.add(cpuRow("cpu.agent_idle", "host JVM CPU, agent attached and idle" + per, agent.cpuIdle(w)));
        // The shared snapshot at its defaults, as an operator runs it: the watcher and the scrapes keep to the walk budget.
        agent.setSnapshotMaxAge(TableSnapshots.DEFAULT_MAX_AGE_MILLIS);
        String shared = " (snapshot sharing at its defaults: " + TableSnapshots.DEFAULT_MAX_AGE_MILLIS + " ms, "
                + TableSnapshots.DEFAULT_WALK_BUDGET_PERCENT + "% walk budget)";
        try {
            rows.add(cpuRow("cpu.agent_watch", "host JVM CPU, CloseWaitThreshold watched at the default interval" + shared + per,
                    agent.cpuWatching(w)));
            rows.add(cpuRow("cpu.agent_scrape", "host JVM CPU, bulk read of every MBean but the rows every " + SCRAPE_EVERY.toSeconds()
                    + " s" + shared + per, agent.cpuScraping(w, SCRAPE_EVERY)));
        } finally {
            agent.setSnapshotMaxAge(0);
        }
        rows.add(cpuRow("cpu.agent_scrape_unshared", "host JVM CPU, the same scrapes with sharing off (SnapshotMaxAgeMillis=0):"
                + " a walk each" + per, agent.cpuScraping(w, SCRAPE_EVERY)));
        return rows;
    }

    private Measurement cpuRow(String id, String label, double percent) {
        return new Measurement(size, id, label, Stats.single(percent), "%", -1, Double.NaN);
    }

    /** The farm's sockets are all there, as the kernel sees them, before anything is timed. */
    private void checkFarm(SocketFarm farm) {
        StringBuilder both = new StringBuilder();
        for (int p : farm.ports()) {
            both.append(both.length() == 0 ? "" : " or ").append("src 127.0.0.1:").append(p).append(" or dst 127.0.0.1:").append(p);
        }
        long seen = platform.connections(FilterParser.parse("state established and ( " + both + " )"), false).size();
        if (seen != farm.established()) {
            throw new IllegalStateException("the farm should hold " + farm.established() + " ESTABLISHED sockets; the kernel shows " + seen);
        }
    }

    private List<TargetCheck> targets(List<Measurement> rows) {
        List<TargetCheck> t = new ArrayList<>();
        ratio(t, rows, "histogram time / ss -tan", "ours.histogram", "ss.tan", 0.5, true);
        find(rows, "ours.histogram").ifPresent(m -> t.add(new TargetCheck(size,
                "histogram bytes allocated per 1,000 sockets", m.allocBytesPer1k(), KIB, true)));
        ratio(t, rows, "table with tcp_info time / ss -tani", "ours.table_info", "ss.tani", 0.5, true);
        ratio(t, rows, "OSHI getConnections time / table with tcp_info", "oshi.connections", "ours.table_info", 10, false);
        ratio(t, rows, "one-port query time / unfiltered table", "ours.port", "ours.table", 0.2, true);
        ratio(t, rows, "bulk drop (drop engine) time / ss -K, same number of sockets", "drop.ours", "drop.ss", 1.0, true);
        ratio(t, rows, "bulk drop (drop engine, audit log off) time / ss -K", "drop.ours_quiet", "drop.ss", 1.0, true);
        ratio(t, rows, "bulk drop (platform: dump + destroy) time / ss -K", "drop.platform", "drop.ss", 1.0, true);
        ratio(t, rows, "Jolokia HTTP histogram time / in-process histogram", "http.histogram", "ours.histogram", 1.5, true);
        find(rows, "http.small_keepalive").ifPresent(m -> t.add(new TargetCheck(size, "small read over keep-alive, p50 ms", m.value().median(), 2, true)));
        ratio(t, rows, "small read: keep-alive / new connection", "http.small_keepalive", "http.small_new_connection", 1.0, true);
        find(rows, "http.version_keepalive").ifPresent(m -> t.add(new TargetCheck(size, "small read without kernel work over keep-alive, p50 ms",
                m.value().median(), 2, true)));
        ratio(t, rows, "snapshot (histogram, own, ports) time / histogram, in-process", "ours.snapshot", "ours.histogram", 1.2, true);
        ratio(t, rows, "read States (every attribute) / one histogram, over HTTP", "http.states", "http.histogram_exec", 1.2, true);
        ratio(t, rows, "read of every MBean but the row table / one histogram, over HTTP", "http.scrape", "http.histogram_exec", 1.5, true);
        find(rows, "ours.counters").ifPresent(m -> t.add(new TargetCheck(size, "kernel counters (Count, TimeWait) in-process, ms",
                m.value().median(), 10, true)));
        find(rows, "http.count").ifPresent(m -> t.add(new TargetCheck(size, "Connections.Count over HTTP, ms", m.value().median(), 10, true)));
        find(rows, "http.timewait").ifPresent(m -> t.add(new TargetCheck(size, "States.TimeWait over HTTP, ms", m.value().median(), 10, true)));
        // What Count and TimeWait add to a bare HTTP round trip (Jolokia's version request).
        beyond(t, rows, "Connections.Count over HTTP beyond the round trip (version), ms", "http.count");
        beyond(t, rows, "States.TimeWait over HTTP beyond the round trip (version), ms", "http.timewait");
        find(rows, "cpu.agent_idle").ifPresent(m -> t.add(new TargetCheck(size, "host JVM CPU with the agent idle, % of one core",
                m.value().median(), 1, true)));
        find(rows, "cpu.agent_watch").ifPresent(m -> t.add(new TargetCheck(size,
                "host JVM CPU with a threshold watched, % of one core", m.value().median(), 3, true)));
        find(rows, "cpu.agent_scrape").ifPresent(m -> t.add(new TargetCheck(size,
                "host JVM CPU with a scrape every 15 s, % of one core", m.value().median(), 5, true)));
        ratio(t, rows, "scrape CPU with sharing at its defaults / with sharing off", "cpu.agent_scrape", "cpu.agent_scrape_unshared", 1.0, true);
        find(rows, "agent.attach").ifPresent(m -> t.add(new TargetCheck(size, "attach to first answer, ms", m.value().median(), 2000, true)));
        find(rows, "agent.idle_heap").ifPresent(m -> t.add(new TargetCheck(size, "agent idle heap, MiB", m.value().median(), 16, true)));
        return t;
    }

    private void beyond(List<TargetCheck> out, List<Measurement> rows, String name, String id) {
        var a = find(rows, id);
        var v = find(rows, "http.version");
        if (a.isPresent() && v.isPresent()) {
            // No "fastest runs" figure: the fastest version request is the one on a fresh connection.
            out.add(new TargetCheck(size, name, a.get().value().median() - v.get().value().median(), 10, true));
        }
    }

    private void ratio(List<TargetCheck> out, List<Measurement> rows, String name, String num, String den, double limit, boolean atMost) {
        var a = find(rows, num);
        var b = find(rows, den);
        if (a.isPresent() && b.isPresent()) {
            out.add(new TargetCheck(size, name, a.get().value().median() / b.get().value().median(),
                    a.get().value().min() / b.get().value().min(), limit, atMost));
        }
    }

    private static java.util.Optional<Measurement> find(List<Measurement> rows, String id) {
        return rows.stream().filter(m -> m.id().equals(id)).findFirst();
    }
}
