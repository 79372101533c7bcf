package org.tcpjmx.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.AgentEntry;
import org.tcpjmx.agent.cli.CommandLineTest.Run;

/**
 * {@code rebalance} from the command line, local and through an agent's real HTTP endpoint, on ten
 * connections from 127.0.0.2 to a listener on a loopback address of this test's own, which the
 * filter names, so that nothing else can be selected.
 */
class RebalanceCommandTest {
    private ServerSocket listener;
    private final List<Socket> clients = new ArrayList<>();
    private final List<Socket> serverEnds = new ArrayList<>();
    private String filter;

    @BeforeEach
    void tenClients() throws IOException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String address = "127." + r.nextInt(1, 255) + "." + r.nextInt(1, 255) + "." + r.nextInt(2, 255);
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(address, 0));
        filter = "src " + address + ":" + listener.getLocalPort();
        for (int i = 0; i < 10; i++) {
            Socket c = new Socket();
            c.bind(new InetSocketAddress("127.0.0.2", 0));
            c.connect(listener.getLocalSocketAddress());
            clients.add(c);
            serverEnds.add(listener.accept());
        }
    }

    @AfterEach
    void close() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        for (Socket s : serverEnds) {
            s.close();
        }
        listener.close();
    }

    /** Clients whose read ends in a reset; the others time out, still connected. */
    private int resetClients() throws IOException {
        int reset = 0;
        for (Socket c : clients) {
            if (c.isClosed()) {
                reset++;
                continue;
            }
            c.setSoTimeout(100);
            try {
                if (c.getInputStream().read() < 0) {
                    throw new AssertionError("a client saw an orderly close, not a reset");
                }
            } catch (SocketTimeoutException e) {
                continue;
            } catch (SocketException e) {
                assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
                c.close();
                reset++;
            }
        }
        return reset;
    }

    @Test
    void aLocalRebalanceDropsHalfThePeersConnectionsAndExits0() throws IOException {
        Run listed = CommandLineTest.run("rebalance", "-l", "0.5", filter);
        assertEquals(0, listed.status(), listed.err());
        assertEquals(5, listed.out().lines().filter(l -> l.startsWith("tcpdrop ")).count(), listed.out());
        assertEquals(0, resetClients(), "-l drops nothing");

        Run run = CommandLineTest.run("rebalance", "--rate", "20", "0.5", filter);
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().startsWith("rebalance job 1: 5 of 10 matched connections selected, dropping 20 a second"),
                run.out());
        assertTrue(run.out().contains("rebalance job 1 DONE: 5 dropped, 0 gone before their turn, 0 failed, of 5 selected"),
                run.out());
        assertEquals(5, resetClients());
    }

    @Test
    void throughAnAgentTheSameCommandDrainsAndBadInputExits64() throws Exception {
        AutoCloseable agent = AgentEntry.start("port=0");
        try {
            String url = System.getProperty("tcpjmx.agent.url");
            for (String[] bad : List.of(new String[] {"0", filter}, new String[] {"1.5", filter},
                    new String[] {"--rate", "-1", "0.5", filter}, new String[] {"--rate", "20000", "0.5", filter},
                    new String[] {"0.5", "state", "nonsense"}, new String[] {"--rate", "5"},
                    new String[] {"0.5", "sport = :1 and dport = :2 or src 10.0.0.1"})) {
                List<String> args = new ArrayList<>(List.of("rebalance", "--url", url));
                args.addAll(List.of(bad));
                Run r = CommandLineTest.run(args.toArray(new String[0]));
                assertEquals(64, r.status(), args + ": " + r.err());
                assertTrue(r.err().contains("usage: rebalance"), r.err());
            }
            assertEquals(0, resetClients(), "bad input dropped nothing");

            Run drain = CommandLineTest.run("rebalance", "--url", url, "--rate", "0", "1", filter);
            assertEquals(0, drain.status(), drain.out() + drain.err());
            assertTrue(drain.out().contains("DONE: 10 dropped, 0 gone before their turn, 0 failed, of 10 selected"),
                    drain.out());
            assertEquals(10, resetClients());
        } finally {
            agent.close();
        }
    }
}
