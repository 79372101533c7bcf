package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.agent.testing.TargetJvm;

/**
 * "An operator attaches and detaches the agent again and again": 50 cycles in a row
 * ({@code tcpjmx.attach.cycles}) into one running JVM through the attach API, each one serving
 * HTTP before it detaches. Afterwards, and after a few full GCs, the JVM holds no thread, descriptor,
 * MBean, class loader, mapped native library or unpacked file more than after the first cycle,
 * which may leave what the JDK keeps once and for all (see {@link #ONCE}), with one exception: the
 * libffi inside JNA's native library keeps a descriptor (and one 4 kB page) of a deleted temporary
 * file for the trampolines of directly mapped methods, and JNA's native library is unloaded with its
 * class loader without closing it, so one such descriptor stays per cycle (see {@link #FFI}).
 * Counts in target/reliability/attach-detach.md.
 */
class AttachDetachCyclesIT {
    /**
     * What the first attach leaves for good, by the JDK's design: the agent jar stays open on the
     * system class path (Instrumentation appends it there) and the attach machinery keeps its
     * listener. Measured as the difference between the pristine JVM and after one cycle, and allowed
     * once, not per cycle.
     */
    private static final String ONCE = "the JDK's own one-time state of the first attach";
    /** libffi's temporary file for executable trampolines ({@code open_temp_exec_file}: $TMPDIR/ffiXXXXXX). */
    private static final Pattern FFI = Pattern.compile(".*/ffi[A-Za-z0-9]{6} \\(deleted\\)");
    /**
     * Threads no agent starts that come and go as they please: those of the JMX connection the
     * counts are read through (RMI ends idle connection threads), and the JVM's own pools it sizes
     * to the load (G1's refinement and marking threads, parallel GC workers, compiler threads).
     */
    private static final List<String> TRANSIENT = List.of("RMI TCP Connection(", "RMI Scheduler", "RMI RenewClean",
            "JMX server connection timeout", "RMI Reaper", "RMI TCP Accept", "G1 ", "GC Thread#", "C1 CompilerThread",
            "C2 CompilerThread");
    private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used\\s+(\\d+)K");

    /** What is counted, before and after. */
    record Counts(List<String> threads, int agentThreads, long fds, long deletedFds, long ffiFds, int mbeans, int agentLoaders, long jnaMappings,
                  long unpackedDirs, long metaspaceKb) {

        static Counts of(String pid, LocalJmx jmx) throws Exception {
            int mbeans = jmx.server().getMBeanCount();
            Path fdDir = Paths.get("/proc", pid, "fd");
            long fds;
            long deleted = 0;
            long ffi = 0;
            try (Stream<Path> all = Files.list(fdDir)) {
                List<Path> list = all.toList();
                fds = list.size();
                for (Path fd : list) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (FFI.matcher(target).matches()) {
                            ffi++;
                        } else if (target.endsWith("(deleted)")) {
                            deleted++;
                        }
                    } catch (IOException gone) {
                        // Closed while listed.
                    }
                }
            }
            long jna = Files.readAllLines(Paths.get("/proc", pid, "maps")).stream().filter(l -> l.contains("jnidispatch")).count();
            long unpacked;
            try (Stream<Path> tmp = Files.list(Paths.get(System.getProperty("java.io.tmpdir")))) {
                unpacked = tmp.filter(p -> p.getFileName().toString().startsWith("tcpjmx-agent-" + pid + "-")).count();
            }
            String stats = AgentCli.jcmd(pid, "VM.classloader_stats");
            int loaders = (int) stats.lines().filter(l -> l.contains("java.net.URLClassLoader")).count();
            Matcher m = METASPACE.matcher(AgentCli.jcmd(pid, "GC.heap_info"));
            long metaspace = m.find() ? Long.parseLong(m.group(1)) : -1;
            List<String> threads = TargetJvm.threadNames(pid).stream().filter(n -> TRANSIENT.stream().noneMatch(n::startsWith)).sorted().toList();
            return new Counts(threads, TargetJvm.agentThreads(pid).size(), fds, deleted, ffi, mbeans, loaders, jna,
                    unpacked, metaspace);
        }

        String row(String when) {
            return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n", when, threads.size(), agentThreads, fds,
                    deletedFds, ffiFds, mbeans, agentLoaders, jnaMappings, unpackedDirs, metaspaceKb);
        }
    }

    @Test
    void fiftyAttachDetachCyclesLeaveNothingBehind() throws Exception {
        int cycles = Integer.getInteger("tcpjmx.attach.cycles", 50);
        try (JvmProcess demo = JvmProcess.demo(JvmProcess.java(), List.of(), Targets.quietDemo().toArray(new String[0]))) {
            demo.awaitReady();
            String pid = demo.pid();
            // The management agent the counts are read through starts its own threads: before any baseline.
            try (LocalJmx jmx = LocalJmx.connect(pid)) {
                Counts pristine = settled(pid, jmx);
                cycle(pid, 0);
                Counts afterOne = settled(pid, jmx);
                long started = System.nanoTime();
                for (int i = 1; i <= cycles; i++) {
                    cycle(pid, i);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                Counts afterAll = settled(pid, jmx);

                String header = "| after | threads (without RMI's and the JVM's GC and compiler pools) | agent threads | fds | fds of other deleted files | libffi temp fds | MBeans"
                        + " | agent class loaders | libjnidispatch mappings | unpacked agent dirs | metaspace used KB |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|\n";
                Reports.write("attach-detach", String.format(Locale.ROOT, "%d attach/detach cycles into pid %s in %.1f s (%.0f ms a cycle)%n%n",
                        cycles, pid, seconds, seconds * 1000 / cycles) + header + pristine.row("nothing (pristine JVM)")
                        + afterOne.row("1 cycle (the baseline)") + afterAll.row((cycles + 1) + " cycles")
                        + "\nThreads the first cycle added: " + added(pristine.threads(), afterOne.threads()) + "\n");

                assertEquals(0, afterAll.agentThreads(), "agent threads left");
                assertEquals(pristine.threads(), afterAll.threads(), "threads after " + (cycles + 1) + " cycles"
                        + " (other than RMI's and the JVM's own GC and compiler pools); a 'process reaper' would mean the agent started a process");
                assertEquals(afterOne.fds() - afterOne.ffiFds(), afterAll.fds() - afterAll.ffiFds(),
                        "descriptors other than libffi's after " + cycles + " more cycles");
                assertTrue(afterAll.ffiFds() - afterOne.ffiFds() <= cycles, "at most one libffi descriptor a cycle: " + afterAll);
                assertTrue(afterOne.fds() - afterOne.ffiFds() <= pristine.fds() + 2,
                        ONCE + " is at most the agent jar and the attach socket: " + pristine + " " + afterOne);
                assertEquals(0, afterAll.deletedFds(), "no descriptor of a deleted (unpacked) jar stays open");
                assertEquals(pristine.mbeans(), afterAll.mbeans(), "MBeans");
                assertEquals(0, afterAll.agentLoaders(), "agent class loaders left");
                assertEquals(pristine.jnaMappings(), afterAll.jnaMappings(), "JNA's native library unloaded with its class loader");
                assertEquals(0, afterAll.unpackedDirs(), "unpacked agent directories left");
                assertTrue(demo.isAlive());
                Targets.assertNoStackTrace(demo);
            }
        }
    }

    private static List<String> added(List<String> before, List<String> after) {
        List<String> extra = new java.util.ArrayList<>(after);
        before.forEach(extra::remove);
        return extra;
    }

    /** Attach, check it serves, detach: one VirtualMachine each time, as an operator's commands would. */
    private static void cycle(String pid, int n) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            vm.loadAgent(JvmProcess.agentJar(), "port=0");
            String url = vm.getSystemProperties().getProperty("tcpjmx.agent.url", "");
            assertTrue(url.startsWith("http://127.0.0.1:"), "cycle " + n + ": the agent publishes its URL: "
                    + vm.getSystemProperties().getProperty("tcpjmx.agent.status"));
            Answer total = Http.get(url + "read/org.tcpjmx:type=States/Total");
            assertEquals(200, total.jolokiaStatus(), "cycle " + n + ": " + total.body());
            vm.loadAgent(JvmProcess.agentJar(), "detach");
            assertTrue(vm.getSystemProperties().getProperty("tcpjmx.agent.status", "").startsWith("stopped"), "cycle " + n + " detached");
        } finally {
            vm.detach();
        }
    }

    /** Counts after full GCs, once the agent's class loader (if any) is gone. */
    private static Counts settled(String pid, LocalJmx jmx) throws Exception {
        assertTrue(TargetJvm.agentLoaderCollected(pid), "the agent's class loader is collected: " + AgentCli.jcmd(pid, "VM.classloader_stats"));
        jmx.server().invoke(new ObjectName("java.lang:type=Memory"), "gc", new Object[0], new String[0]);
        try {
            // The JDK unloads a native library in a cleaner, after the GC that found its loader unreachable.
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return Counts.of(pid, jmx);
    }
}
