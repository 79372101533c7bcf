package org.tcpjmx.agent.origins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.Endpoint;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.SocketOrigin;
import org.tcpjmx.model.SocketTimer;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.originapp.HookCaller;

/**
 * The records behind origins, fed by real loopback connects the way the hook feeds them (no
 * bytecode rewriting here; OriginsIT covers that): what a reader finds after sockets of several
 * threads were batched, the cap, a reused 4-tuple, switching off.
 */
class OriginRecordsTest {
    private ServerSocket server;
    private final ConcurrentLinkedQueue<Socket> accepted = new ConcurrentLinkedQueue<>();
    private final List<Socket> opened = new ArrayList<>();
    private Thread acceptor;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void closeAll() throws Exception {
        server.close();
        acceptor.join(5_000);
        for (Socket s : opened) {
            s.close();
        }
        for (Socket s : accepted) {
            s.close();
        }
    }

    /** The kernel row of a connected socket, as the table gives it for one this JVM owns. */
    private static TcpConnection row(Socket s) {
        return new TcpConnection(IpFamily.INET4, new Endpoint(s.getLocalAddress().getAddress(), s.getLocalPort()),
                new Endpoint(s.getInetAddress().getAddress(), s.getPort()), TcpState.ESTABLISHED, 0, 0, 0, 1, 0, 42,
                SocketTimer.OFF, 0, 0, true, "cubic", Optional.empty(), Backend.NETLINK);
    }

    private static OriginRecords tracking(int cap) {
        OriginRecords r = new OriginRecords(cap);
        r.tracking(true);
        return r;
    }

    /** Connects from a thread of the given name, recording each socket; returns them in order. */
    private List<Socket> connectFrom(String thread, OriginRecords records, int n) throws Exception {
        List<Socket> out = new ArrayList<>();
        Exception[] failed = new Exception[1];
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    out.add(HookCaller.connect(records, server.getLocalSocketAddress()));
                }
            } catch (Exception e) {
                failed[0] = e;
            }
        }, thread);
        t.start();
        t.join();
        opened.addAll(out);
        if (failed[0] != null) {
            throw failed[0];
        }
        return out;
    }

    @Test
    void aReaderFindsTheOpenSocketsOfEveryThreadWhetherTheirBatchFilledOrNotAndNoClosedOne() throws Exception {
        OriginRecords records = tracking(OriginRecords.DEFAULT_CAP);
        // More than two batches for one thread (its full batches were keyed by itself, all open then),
        // less than one for the others (keyed by the reader).
        int[] counts = {RecordBatches.BATCH * 2 + 7, 5, RecordBatches.BATCH - 1};
        List<List<Socket>> byThread = new ArrayList<>();
        for (int t = 0; t < counts.length; t++) {
            byThread.add(connectFrom("opener-" + t, records, counts[t]));
        }
        int open = 0;
        List<TcpConnection> closed = new ArrayList<>();
        for (List<Socket> sockets : byThread) {
            for (int i = 0; i < sockets.size(); i += 2) {
                closed.add(row(sockets.get(i)));
                sockets.get(i).close();
            }
            open += sockets.size() / 2;
        }
        for (TcpConnection r : closed) {
            assertFalse(records.originOf(r).isPresent(), "a closed socket has no origin: " + r);
        }
        for (int t = 0; t < byThread.size(); t++) {
            List<Socket> sockets = byThread.get(t);
            for (int i = 1; i < sockets.size(); i += 2) {
                Socket s = sockets.get(i);
                SocketOrigin o = records.originOf(row(s)).orElseThrow(() -> new AssertionError("no origin for open " + s));
                assertEquals("opener-" + t, o.thread());
                assertTrue(o.origin().startsWith(HookCaller.ORIGIN_PREFIX), o.origin());
            }
        }
        assertEquals(open, records.size(), "one record per socket still open: the reads dropped the closed ones' records");
    }

    @Test
    void atTheCapFurtherOpenSocketsGetNoRecordAndAreCountedAndSaidInDescribe() throws Exception {
        OriginRecords records = tracking(20);
        connectFrom("opener", records, 30);
        assertEquals(20, records.size());
        assertEquals(10, records.notRecorded());
        assertTrue(records.describe().contains("20 records (cap 20), 10 sockets not recorded because the cap was reached"),
                records.describe());
    }

    @Test
    void aFourTupleConnectedAgainAfterItsSocketClosedNamesTheNewSocketsThread() throws Exception {
        OriginRecords records = tracking(OriginRecords.DEFAULT_CAP);
        Socket first = connectFrom("first", records, 1).get(0);
        int port = first.getLocalPort();
        TcpConnection firstRow = row(first);
        assertEquals("first", records.originOf(firstRow).orElseThrow().thread(), "keyed while open");
        first.close(); // RST: no TIME_WAIT, the 4-tuple is free at once
        Socket[] second = new Socket[1];
        Thread t = new Thread(() -> {
            try {
                second[0] = HookCaller.connect(records, port, server.getLocalSocketAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "second");
        t.start();
        t.join();
        assertTrue(second[0] != null, "the 4-tuple could be connected again");
        opened.add(second[0]);
        assertEquals(firstRow.local(), row(second[0]).local(), "the same 4-tuple");
        assertEquals(firstRow.remote(), row(second[0]).remote(), "the same 4-tuple");
        assertEquals("second", records.originOf(row(second[0])).orElseThrow().thread());
        assertEquals(1, records.size());
    }

    @Test
    void switchingOffForgetsRecordsKeyedAndBatchedAndRecordsNothingMore() throws Exception {
        OriginRecords records = tracking(OriginRecords.DEFAULT_CAP);
        List<Socket> sockets = connectFrom("opener", records, RecordBatches.BATCH + 3);
        records.tracking(false);
        records.clear();
        assertEquals(0, records.size());
        assertFalse(records.originOf(row(sockets.get(0))).isPresent());
        assertFalse(records.originOf(row(sockets.get(sockets.size() - 1))).isPresent());
        connectFrom("opener", records, 3);
        assertEquals(0, records.size(), "tracking off records nothing");
    }
}
