package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Descriptors;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.agent.testing.TargetJvm;

/**
 * "An operator attaches and detaches the agent again and again": 50 cycles in a row
 * ({@code tcpjmx.attach.cycles}) into one running JVM through the attach API, each one serving
 * HTTP before it detaches. Afterwards, and after a few full GCs, the JVM holds no thread, descriptor,
 * MBean, class loader, mapped native library or unpacked file more than after the first cycle,
 * which may leave what the JDK keeps once and for all (see {@link #ONCE}). No libffi trampoline file
 * stays either (see {@link #FFI}): libffi never closes it, so the agent makes no libffi closure.
 * The JMX connection the counts are read through is not the agent's: its sockets, which RMI opens
 * and closes as it pleases (an idle one is closed after 15 s, a call made while another is under
 * way opens a second), are told apart from everything else as the accepted connections of the JMX
 * connector's own port in the target's descriptor table, and left out of the comparison.
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
    /**
     * libffi's file for executable trampolines ({@code open_temp_exec_file}): a memfd named libffi,
     * an O_TMPFILE file ({@code /tmp/#INODE}) or a deleted {@code $TMPDIR/ffiXXXXXX}.
     */
    private static final Pattern FFI = Pattern.compile("(/memfd:libffi|.*/#\\d+|.*/ffi[A-Za-z0-9]{6}) \\(deleted\\)");
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
    record Counts(List<String> threads, List<Descriptors.Descriptor> descriptors, int agentThreads, long fds, long jmxFds, long deletedFds, long ffiFds, int mbeans, int agentLoaders, long jnaMappings,
                  long unpackedDirs, long metaspaceKb) {

        static Counts of(String pid, LocalJmx jmx, Set<Integer> jmxPorts) throws Exception {
            int mbeans = jmx.server().getMBeanCount();
            List<Descriptors.Descriptor> all = Descriptors.of(pid);
            List<Descriptors.Descriptor> descriptors = all.stream().filter(d -> d.tcp() == null || "LISTEN".equals(d.tcp().state())
                    || !jmxPorts.contains(d.tcp().localPort())).toList();
            long jmxFds = all.size() - descriptors.size();
            long fds = descriptors.size();
            long ffi = descriptors.stream().filter(d -> FFI.matcher(d.target()).matches()).count();
            long deleted = descriptors.stream().filter(d -> d.target().endsWith("(deleted)")).count() - ffi;
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
            return new Counts(threads, descriptors, TargetJvm.agentThreads(pid).size(), fds, jmxFds, deleted, ffi, mbeans, loaders, jna,
                    unpacked, metaspace);
        }

        String row(String when) {
            return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n", when, threads.size(), agentThreads, fds, jmxFds,
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
                Set<Integer> jmxPorts = jmxPorts(pid, jmx);
                Counts pristine = settled(pid, jmx, jmxPorts);
                cycle(pid, 0);
                Counts afterOne = settled(pid, jmx, jmxPorts);
                long started = System.nanoTime();
                for (int i = 1; i <= cycles; i++) {
                    cycle(pid, i);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                Counts afterAll = settled(pid, jmx, jmxPorts);

                String header = "| after | threads (without RMI's and the JVM's GC and compiler pools) | agent threads | fds (without the JMX connection's) | the JMX connection's fds | fds of other deleted files | libffi temp fds | MBeans"
                        + " | agent class loaders | libjnidispatch mappings | unpacked agent dirs | metaspace used KB |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
                Reports.write("attach-detach", String.format(Locale.ROOT, "%d attach/detach cycles into pid %s in %.1f s (%.0f ms a cycle)%n%n",
                        cycles, pid, seconds, seconds * 1000 / cycles) + header + pristine.row("nothing (pristine JVM)")
                        + afterOne.row("1 cycle (the baseline)") + afterAll.row((cycles + 1) + " cycles")
                        + "\nThreads the first cycle added: " + added(pristine.threads(), afterOne.threads()) + "\n"
                        + "\nDescriptors the first cycle added: " + Descriptors.added(pristine.descriptors(), afterOne.descriptors())
                        + "\nDescriptors the other cycles added: " + Descriptors.added(afterOne.descriptors(), afterAll.descriptors())
                        + "\nDescriptors after all cycles (without the JMX connection's): " + afterAll.descriptors().stream().map(Descriptors.Descriptor::what).toList() + "\n");

                assertEquals(0, afterAll.agentThreads(), "agent threads left");
                assertEquals(pristine.threads(), afterAll.threads(), "threads after " + (cycles + 1) + " cycles"
                        + " (other than RMI's and the JVM's own GC and compiler pools); a 'process reaper' would mean the agent started a process");
                assertEquals(0, afterOne.ffiFds(), "libffi trampoline files after one cycle: " + afterOne);
                assertEquals(0, afterAll.ffiFds(), "libffi trampoline files after " + (cycles + 1) + " cycles: " + afterAll);
                assertEquals(afterOne.fds(), afterAll.fds(),
                        "descriptors (other than the measuring JMX connection's) after " + cycles + " more cycles; new: "
                        + Descriptors.added(afterOne.descriptors(), afterAll.descriptors()) + ", gone: "
                        + Descriptors.added(afterAll.descriptors(), afterOne.descriptors()));
                assertTrue(afterOne.fds() <= pristine.fds() + 2,
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

    /**
     * The target's ports whose accepted connections are the JMX connection's: those whose other end
     * this JVM holds (by full 4-tuple) while only the JMX client connects from here to the target.
     */
    private static Set<Integer> jmxPorts(String pid, LocalJmx jmx) throws Exception {
        jmx.server().getMBeanCount();
        Set<String> ours = Descriptors.of("self").stream().filter(d -> d.tcp() != null).map(d -> d.tcp().toString())
                .collect(Collectors.toSet());
        Set<Integer> ports = Descriptors.of(pid).stream().filter(d -> d.tcp() != null && ours.contains(d.tcp().reversed().toString()))
                .map(d -> d.tcp().localPort()).collect(Collectors.toSet());
        assertTrue(!ports.isEmpty(), "the JMX connection's sockets are found in pid " + pid + ": " + Descriptors.of(pid));
        return ports;
    }

    /** Counts after full GCs, once the agent's class loader (if any) is gone. */
    private static Counts settled(String pid, LocalJmx jmx, Set<Integer> jmxPorts) throws Exception {
        assertTrue(TargetJvm.agentLoaderCollected(pid), "the agent's class loader is collected: " + AgentCli.jcmd(pid, "VM.classloader_stats"));
        jmx.server().invoke(new ObjectName("java.lang:type=Memory"), "gc", new Object[0], new String[0]);
        try {
            // The JDK unloads a native library in a cleaner, after the GC that found its loader unreachable.
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return Counts.of(pid, jmx, jmxPorts);
    }
}
