package org.tcpjmx.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link OriginOverhead}: connects and closes loopback sockets as fast as it can,
 * a thread of its own accepting and closing them, and prints {@code OPS n} (connect+accept pairs per
 * second) after a warm-up, then the accepted count, {@code CPU_NS_PER_PAIR c}: this process's CPU
 * time (every thread, GC and JIT included) per pair over the same window, and
 * {@code LOOP_CPU_NS_PER_PAIR l}: that of the connecting and the accepting thread alone (what the
 * hook costs where it runs, without the JIT still compiling after the warm-up). On a shared machine the
 * CPU per pair wanders less than the throughput, which other processes' load takes from. {@code java -cp tcpjmx-bench.jar org.tcpjmx.bench.SocketLoop WARMUP_MS MEASURE_MS}
 */
public final class SocketLoop {
    private SocketLoop() {
    }

    public static void main(String[] args) throws Exception {
        long warmup = Long.parseLong(args[0]);
        long measure = Long.parseLong(args[1]);
        InetAddress lo = InetAddress.getLoopbackAddress();
        AtomicLong accepted = new AtomicLong();
        try (ServerSocket server = new ServerSocket(0, 1024, lo)) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            InetSocketAddress to = new InetSocketAddress(lo, server.getLocalPort());
            loop(to, warmup);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] loopThreads = {Thread.currentThread().getId(), acceptor.getId()};
            long before = accepted.get();
            long cpu = os.getProcessCpuTime();
            long loopCpu = cpu(threads, loopThreads);
            long start = System.nanoTime();
            long connects = loop(to, measure);
            double seconds = (System.nanoTime() - start) / 1e9;
            long pairs = Math.max(1, connects);
            long cpuPerPair = (os.getProcessCpuTime() - cpu) / pairs;
            long loopCpuPerPair = (cpu(threads, loopThreads) - loopCpu) / pairs;
            System.out.println("OPS " + (long) (connects / seconds) + " accepted " + (accepted.get() - before)
                    + " CPU_NS_PER_PAIR " + cpuPerPair + " LOOP_CPU_NS_PER_PAIR " + loopCpuPerPair);
        }
    }

    private static long cpu(ThreadMXBean threads, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += threads.getThreadCpuTime(id);
        }
        return sum;
    }

    private static long loop(InetSocketAddress to, long millis) throws IOException {
        long end = System.nanoTime() + millis * 1_000_000;
        long n = 0;
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.setSoLinger(true, 0); // RST on close: no TIME_WAIT pile-up, no ephemeral port exhaustion
                s.connect(to);
            }
            n++;
        }
        return n;
    }
}
