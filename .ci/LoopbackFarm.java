import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * A foreign loopback farm: PAIRS ESTABLISHED connections from 127.0.0.2 (ephemeral ports) to
 * 127.0.0.1, held by child processes of at most PER_CHILD pairs each (both ends of a pair are in
 * the same child: 2 descriptors a pair, the limit here is 20,000 a process). This is the traffic of
 * a busy CI host that the suite must not mistake for its own: its client ports are drawn from the
 * same ephemeral range as the tests' listeners and clients.
 *
 * <pre>java .ci/LoopbackFarm.java [PAIRS]     (default 10000)</pre>
 *
 * Prints {@code READY pairs=N} once every child holds its pairs, then runs until killed (SIGTERM
 * or SIGINT) or until its standard input closes. A child ends when its standard input (a pipe from
 * the parent) closes, so no child outlives the farm, even a farm killed with SIGKILL.
 */
public final class LoopbackFarm {
    private static final int PER_CHILD = 2500;

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            child(Integer.parseInt(args[1]));
            return;
        }
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        if (pairs < 1 || pairs > 200_000) {
            throw new IllegalArgumentException("PAIRS must be 1..200000, got " + pairs);
        }
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        String source = Paths.get(LoopbackFarm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<Process> children = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> children.forEach(Process::destroy)));
        for (int left = pairs; left > 0; left -= PER_CHILD) {
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+UseSerialGC", source, "--child",
                    Integer.toString(Math.min(left, PER_CHILD)));
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            children.add(pb.start());
        }
        for (Process c : children) {
            String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (line == null || !line.startsWith("READY")) {
                throw new IllegalStateException("a farm child failed (pid " + c.pid() + "): " + line);
            }
        }
        System.out.println("READY pairs=" + pairs + " children=" + children.size());
        System.out.flush();
        // Until stdin closes; a farm run in the background (stdin /dev/null) waits for its signal.
        InputStream in = System.in;
        if (in.read() < 0) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void child(int pairs) throws IOException {
        InetAddress server = InetAddress.getByName("127.0.0.1");
        InetAddress client = InetAddress.getByName("127.0.0.2");
        List<SocketChannel> open = new ArrayList<>(2 * pairs);
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress(server, 0), 1024);
            for (int i = 0; i < pairs; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
                c.bind(new InetSocketAddress(client, 0));
                c.connect(listener.getLocalAddress());
                open.add(c);
                open.add(listener.accept());
            }
            System.out.println("READY " + pairs);
            System.out.flush();
            // Until the parent's end of the pipe closes.
            while (System.in.read() >= 0) {
                // ignore input
            }
        }
    }
}
