package org.tcpjmx.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A small line-echo server, plain JDK, that keeps a few clients busy so the TCP table is not empty,
 * and misbehaves on request the way real servers do:
 *
 * <ul>
 *   <li>{@code --leak-close-wait N}: N clients connect to a second listener whose handler reads to
 *       end of stream and never closes: the server side sits in CLOSE_WAIT (the classic socket leak);
 *       {@code --leak-every SECONDS} leaks one more every SECONDS, a count that keeps growing;</li>
 *   <li>{@code --churn PER_SECOND}: short connections opened and closed by the client side, which
 *       leaves TIME_WAIT entries behind;</li>
 *   <li>{@code --idle N}: clients that connect and never say a word;</li>
 *   <li>{@code --stuck-backend}: the server calls a backend that accepts and then never answers, so
 *       the calling connection hangs in a read.</li>
 * </ul>
 *
 * <p>It prints {@code READY port=P} once listening (tests wait for that line), then the URLs and
 * curl lines to try when the tcpjmx agent is attached.
 */
public final class DemoServer {
    private final DemoOptions options;
    private final List<Socket> keep = new CopyOnWriteArrayList<>();
    private final PrintStream out;
    private volatile boolean running = true;

    DemoServer(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the demo until killed (or for {@code --duration SECONDS}).
     *
     * @param args see {@link DemoOptions#usage()}
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(DemoOptions.usage());
            return;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.println(DemoOptions.usage());
            System.exit(64);
            return;
        }
        try {
            new DemoServer(options, System.out).run();
        } catch (BindException e) {
            System.err.println("demo: cannot listen on " + options.host() + ":" + options.port() + " (" + e.getMessage()
                    + "); give --port another port, or --port 0 to pick a free one");
            System.exit(1);
        }
    }

    void run() throws Exception {
        InetAddress loopback = InetAddress.getByName(options.host());
        ServerSocket echo = new ServerSocket();
        echo.setReuseAddress(true);
        echo.bind(new InetSocketAddress(loopback, options.port()), 128);
        int port = echo.getLocalPort();
        daemon("demo-echo-accept", () -> acceptLoop(echo, this::echo));

        for (int i = 0; i < options.clients(); i++) {
            int n = i;
            daemon("demo-client-" + n, () -> chattyClient(loopback, port));
        }
        for (int i = 0; i < options.idle(); i++) {
            keep.add(new Socket(loopback, port));
        }
        int leakPort = -1;
        if (options.leakCloseWait() > 0 || options.leakEverySeconds() > 0) {
            ServerSocket leaky = new ServerSocket(0, 128, loopback);
            leakPort = leaky.getLocalPort();
            daemon("demo-leaky-accept", () -> acceptLoop(leaky, this::neverClose));
            for (int i = 0; i < options.leakCloseWait(); i++) {
                leakOne(loopback, leakPort);
            }
            if (options.leakEverySeconds() > 0) {
                int lp = leakPort;
                daemon("demo-leak-every", () -> leakEvery(loopback, lp));
            }
        }
        if (options.churnPerSecond() > 0) {
            daemon("demo-churn", () -> churn(loopback, port));
        }
        int backendPort = -1;
        if (options.stuckBackend()) {
            ServerSocket backend = new ServerSocket(0, 128, loopback);
            backendPort = backend.getLocalPort();
            daemon("demo-backend-accept", () -> acceptLoop(backend, this::neverAnswer));
            int bp = backendPort;
            daemon("demo-backend-caller", () -> callStuckBackend(loopback, bp));
        }

        out.println("READY port=" + port + (leakPort > 0 ? " leakPort=" + leakPort : "")
                + (backendPort > 0 ? " backendPort=" + backendPort : ""));
        printHints(port);
        out.flush();

        CountDownLatch forever = new CountDownLatch(1);
        if (options.durationSeconds() > 0) {
            forever.await(options.durationSeconds(), TimeUnit.SECONDS);
        } else {
            forever.await();
        }
        running = false;
    }

    /** A client that says bye and closes: our FIN; the leaky handler never answers with its own. */
    private static void leakOne(InetAddress loopback, int leakPort) throws IOException {
        Socket s = new Socket(loopback, leakPort);
        s.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
        s.close();
    }

    private void leakEvery(InetAddress loopback, int leakPort) {
        while (running) {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(options.leakEverySeconds()));
                leakOne(loopback, leakPort);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                out.println("demo: leaking a connection failed: " + e.getMessage());
            }
        }
    }

    private void printHints(int port) {
        String url = System.getProperty("tcpjmx.agent.url", "");
        // Set by the agent at every start, attach and detach: "failed: WHY" when it could not start.
        String status = System.getProperty("tcpjmx.agent.status", "");
        out.println("tcpjmx demo: echo server on " + options.host() + ":" + port + " (pid " + ProcessHandle.current().pid() + ")");
        if (url.isEmpty() && status.startsWith("failed: ")) {
            out.println("The tcpjmx agent was loaded but did not start: " + status.substring("failed: ".length()));
            return;
        }
        if (url.isEmpty() && status.startsWith("running")) {
            out.println("The tcpjmx agent runs without Jolokia (jolokia=false): its MBeans are in JConsole and VisualVM.");
            return;
        }
        if (url.isEmpty()) {
            long pid = ProcessHandle.current().pid();
            out.println("The tcpjmx agent is not attached. Attach it with:");
            out.println("  java -jar agent/target/tcpjmx-agent.jar attach " + pid);
            // In a container this JVM cannot know the pid the node knows it by (its /proc is the container's).
            out.println("(" + pid + " is this JVM's pid as it sees itself. In a container, attach from the node with its PID as the node");
            out.println(" sees it: the node's 'tcpjmx-agent.jar list' shows that PID, with " + pid + " under INSIDE.)");
            return;
        }
        out.println("tcpjmx agent: " + url);
        out.println("Try:");
        out.println("  curl -s " + url + "read/org.tcpjmx:type=States/Histogram");
        out.println("  curl -s -X POST -d '{\"type\":\"exec\",\"mbean\":\"org.tcpjmx:type=Connections\",\"operation\":\"query\",\"arguments\":[\"sport = :"
                + port + "\",10]}' " + url);
        out.println("  curl -s -X POST -d '{\"type\":\"exec\",\"mbean\":\"org.tcpjmx:type=Drop\",\"operation\":\"dropState\",\"arguments\":[\"CLOSE_WAIT\",true]}' " + url);
        out.println("More in examples/recipes (README.md there), e.g.:");
        out.println("  TCPJMX_URL=" + url + " examples/recipes/list-then-drop.sh CLOSE_WAIT");
    }

    private void acceptLoop(ServerSocket server, Handler handler) {
        while (running) {
            try {
                Socket s = server.accept();
                daemon("demo-conn-" + s.getPort(), () -> {
                    try {
                        handler.handle(s);
                    } catch (IOException e) {
                        // a client reset or a drop: that is what this demo is for
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(Socket s) throws IOException {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream o = s.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                o.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                o.flush();
            }
        }
    }

    /** Reads to end of stream and keeps the socket open: CLOSE_WAIT forever. */
    private void neverClose(Socket s) throws IOException {
        keep.add(s);
        InputStream in = s.getInputStream();
        byte[] b = new byte[512];
        while (in.read(b) >= 0) {
            // drain until the peer's FIN
        }
    }

    /** Accepts and never reads or answers: a hung backend. */
    private void neverAnswer(Socket s) {
        keep.add(s);
    }

    private void callStuckBackend(InetAddress host, int backendPort) {
        long start = System.nanoTime();
        try (Socket s = new Socket(host, backendPort)) {
            s.getOutputStream().write("GET /slow\n".getBytes(StandardCharsets.US_ASCII));
            printStuckHints(s);
            int b = s.getInputStream().read(); // blocks: the backend never answers
            out.println("demo: the stuck backend call ended (read returned " + b + ")");
        } catch (IOException e) {
            // Dropped by an operator, as the walkthrough intends: the application's error handling takes over.
            out.printf("demo: the stuck backend call failed after %d s: %s: %s (the connection was dropped)%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), e.getClass().getSimpleName(), e.getMessage());
        }
        out.flush();
    }

    /** The exact lines that show and cut this one call, with its real addresses and ports. */
    private void printStuckHints(Socket s) {
        String local = s.getLocalAddress().getHostAddress();
        String remote = s.getInetAddress().getHostAddress();
        String url = System.getProperty("tcpjmx.agent.url", "");
        String remoteOption = url.isEmpty() ? "" : "--url " + url + " ";
        synchronized (out) {
            out.println("demo: a call to the stuck backend hangs in a read on " + local + ":" + s.getLocalPort()
                    + " -> " + remote + ":" + s.getPort() + ". See it, then cut it:");
            out.println("  java -jar agent/target/tcpjmx-agent.jar table " + remoteOption + "'src " + local + ":" + s.getLocalPort()
                    + " and dst " + remote + ":" + s.getPort() + "'");
            out.println("  java -jar agent/target/tcpjmx-agent.jar tcpdrop " + remoteOption + local + " " + s.getLocalPort()
                    + " " + remote + " " + s.getPort());
            out.flush();
        }
    }

    private void chattyClient(InetAddress host, int port) {
        while (running) {
            try (Socket s = new Socket(host, port)) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream o = s.getOutputStream();
                for (int i = 0; running; i++) {
                    o.write(("ping " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    if (in.readLine() == null) {
                        break;
                    }
                    Thread.sleep(1000);
                }
            } catch (IOException e) {
                sleepQuietly(1000); // dropped: reconnect, as a real client would
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void churn(InetAddress host, int port) {
        long pauseNanos = TimeUnit.SECONDS.toNanos(1) / options.churnPerSecond();
        while (running) {
            try (Socket s = new Socket(host, port)) {
                s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().read();
            } catch (IOException e) {
                // keep churning
            }
            sleepQuietly(TimeUnit.NANOSECONDS.toMillis(pauseNanos));
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @FunctionalInterface
    private interface Handler {
        void handle(Socket s) throws IOException;
    }

    /** Parsed command-line switches. */
    record DemoOptions(String host, int port, int clients, int idle, int leakCloseWait, int leakEverySeconds,
                       int churnPerSecond, boolean stuckBackend, int durationSeconds) {

        static String usage() {
            return String.join("\n",
                    "usage: DemoServer [--host ADDR] [--port P] [--clients N] [--idle N] [--leak-close-wait N]",
                    "                  [--leak-every SECONDS] [--churn PER_SECOND] [--stuck-backend] [--duration SECONDS]",
                    "  --host ADDR           listen address (default 127.0.0.1)",
                    "  --port P              echo port (default 8080; 0 picks a free one)",
                    "  --clients N           chatty clients talking to the echo server (default 3)",
                    "  --idle N              clients that connect and stay silent (default 2)",
                    "  --leak-close-wait N   connections the server never closes: CLOSE_WAIT (default 0)",
                    "  --leak-every SECONDS  leak one more such connection every SECONDS: a growing leak (default 0: never)",
                    "  --churn PER_SECOND    short connections per second, leaving TIME_WAIT (default 0)",
                    "  --stuck-backend       call a backend that never answers",
                    "  --duration SECONDS    exit after this long (default: run until killed)");
        }

        static DemoOptions parse(String[] args) {
            String host = "127.0.0.1";
            int port = 8080;
            int clients = 3;
            int idle = 2;
            int leak = 0;
            int leakEvery = 0;
            int churn = 0;
            boolean stuck = false;
            int duration = 0;
            for (int i = 0; i < args.length; i++) {
                String a = args[i].toLowerCase(Locale.ROOT);
                switch (a) {
                    case "--stuck-backend":
                        stuck = true;
                        break;
                    case "--host":
                        host = value(args, ++i, a);
                        break;
                    case "--port":
                        port = number(args, ++i, a, 0, 65535);
                        break;
                    case "--clients":
                        clients = number(args, ++i, a, 0, 1000);
                        break;
                    case "--idle":
                        idle = number(args, ++i, a, 0, 5000);
                        break;
                    case "--leak-close-wait":
                        leak = number(args, ++i, a, 0, 5000);
                        break;
                    case "--leak-every":
                        leakEvery = number(args, ++i, a, 0, 86400);
                        break;
                    case "--churn":
                        churn = number(args, ++i, a, 0, 1000);
                        break;
                    case "--duration":
                        duration = number(args, ++i, a, 0, Integer.MAX_VALUE);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            return new DemoOptions(host, port, clients, idle, leak, leakEvery, churn, stuck, duration);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int number(String[] args, int i, String option, int min, int max) {
            String v = value(args, i, option);
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a number " + min + "-" + max + ", not '" + v + "'");
            }
        }
    }
}
