package org.tcpjmx.jmx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.model.SocketExtras;
import org.tcpjmx.model.SocketMemory;
import org.tcpjmx.model.SocketOrigin;
import org.tcpjmx.model.SocketOwner;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpInfo;

/**
 * The open types of the connection table: one {@link CompositeData} per socket, flat (no nested
 * composites), so Jolokia answers a JSON array of flat objects and JConsole shows one table.
 *
 * <p>Numbers that are unknown are {@value #UNKNOWN}: {@code cookie} on the /proc backend,
 * {@code firstSeen} when the watcher has not seen the socket, and every {@code tcp_info} figure
 * of a row without {@code tcp_info} ({@code hasInfo} false: the /proc backend, TIME_WAIT and
 * request sockets).
 */
final class ConnectionRows {
    /** The value of an unknown number. */
    static final long UNKNOWN = -1;
    /** Between the frames of {@code originStack}. */
    static final String STACK_SEPARATOR = " <- ";
    /**
     * Heap one row costs until its answer has left the JVM, as the answer budget counts it: the
     * row's CompositeData, the model row behind it, and Jolokia's JSON object and text of it while
     * it serializes the answer. About 7 kB on average for a whole table; MemoryBudgetIT saw the
     * peak of a full budget of answers in flight at 1.4 times 8 KiB a row (growing text buffers,
     * G1's humongous regions), hence 12 KiB.
     */
    static final long ROW_BYTES = 12 << 10;
    /** The same for a row with the tcp_info figures (32 more numbers). */
    static final long ROW_WITH_INFO_BYTES = 24 << 10;

    private record Item(String name, String description, OpenType<?> type) {
    }

    private record InfoItem(String name, String description, ToLongFunction<TcpInfo> value) {
    }

    private static final List<Item> BASE = List.of(
            new Item("localAddress", "Local address, numeric, as ss -n prints it (IPv4-mapped IPv6 kept as ::ffff:a.b.c.d)", SimpleType.STRING),
            new Item("localPort", "Local port", SimpleType.INTEGER),
            new Item("remoteAddress", "Remote (foreign) address, numeric; the wildcard for a listener", SimpleType.STRING),
            new Item("remotePort", "Remote (foreign) port; 0 for a listener", SimpleType.INTEGER),
            new Item("state", "TCP state, tcpdrop(8)'s name: ESTABLISHED, TIME_WAIT, CLOSE_WAIT, ...", SimpleType.STRING),
            new Item("family", "Address family: INET4 or INET6", SimpleType.STRING),
            new Item("recvQ", "Recv-Q as ss shows it: bytes not yet read, or a listener's accept queue", SimpleType.LONG),
            new Item("sendQ", "Send-Q as ss shows it: bytes not yet acknowledged, or a listener's backlog", SimpleType.LONG),
            new Item("uid", "Owner uid of the socket", SimpleType.LONG),
            new Item("inode", "Socket inode; 0 for TIME_WAIT and request sockets, which have no file", SimpleType.LONG),
            new Item("owned", "Whether this JVM holds a file descriptor on the socket", SimpleType.BOOLEAN),
            new Item("stack", "Congestion-control module (cubic, bbr, ...): the stack of tcpdrop -S; empty when unknown", SimpleType.STRING),
            new Item("ifindex", "Bound interface index, part of the kernel's socket id", SimpleType.INTEGER),
            new Item("cookie", "The kernel's socket cookie; -1 when the backend has none (/proc)", SimpleType.LONG),
            new Item("timer", "Pending kernel timer as ss -o names it: off, on (retransmit), keepalive, timewait, persist", SimpleType.STRING),
            new Item("timerExpiresMillis", "Milliseconds until the timer fires", SimpleType.LONG),
            new Item("timerRetransmits", "Retransmits or probes counted by the timer", SimpleType.INTEGER),
            new Item("backend", "Where the row came from: NETLINK or PROCFS", SimpleType.STRING),
            new Item("firstSeen", "When the watcher first saw this socket (epoch milliseconds; at or before, to one sample"
                    + " interval); -1 unless States.TrackFirstSeen is on and a sample has seen it", SimpleType.LONG),
            new Item("tcpdrop", "The tcpdrop(8) command line that drops this connection", SimpleType.STRING),
            new Item("origin", "Where this JVM opened the socket: the first application frame of the connect or accept"
                    + " (Agent.TrackOrigins); empty when unknown: not owned, opened before tracking was on, or by native code",
                    SimpleType.STRING),
            new Item("originStack", "The kept frames of the connect or accept, innermost first, separated by '"
                    + ConnectionRows.STACK_SEPARATOR + "'; empty when origin is", SimpleType.STRING));

    private static final List<InfoItem> INFO = List.of(
            new InfoItem("caState", "Congestion-avoidance state (0 open, 1 disorder, 2 CWR, 3 recovery, 4 loss)", TcpInfo::caState),
            new InfoItem("retransmits", "Consecutive retransmission timeouts now outstanding", TcpInfo::retransmits),
            new InfoItem("probes", "Unanswered zero-window or keepalive probes", TcpInfo::probes),
            new InfoItem("backoff", "Exponential backoff of the retransmission timer", TcpInfo::backoff),
            new InfoItem("rtoMicros", "Retransmission timeout, microseconds", TcpInfo::rtoMicros),
            new InfoItem("sndMss", "Sender maximum segment size, bytes", TcpInfo::sndMss),
            new InfoItem("rcvMss", "Receiver maximum segment size estimate, bytes", TcpInfo::rcvMss),
            new InfoItem("unacked", "Segments sent and not yet acknowledged", TcpInfo::unacked),
            new InfoItem("lost", "Segments presumed lost", TcpInfo::lost),
            new InfoItem("retrans", "Segments retransmitted and not yet acknowledged", TcpInfo::retrans),
            new InfoItem("lastDataSentMillis", "Milliseconds since data was last sent", TcpInfo::lastDataSentMillis),
            new InfoItem("lastDataRecvMillis", "Milliseconds since data was last received", TcpInfo::lastDataRecvMillis),
            new InfoItem("lastAckRecvMillis", "Milliseconds since an ACK was last received", TcpInfo::lastAckRecvMillis),
            new InfoItem("pmtu", "Path MTU, bytes", TcpInfo::pmtu),
            new InfoItem("rttMicros", "Smoothed round-trip time, microseconds", TcpInfo::rttMicros),
            new InfoItem("rttVarMicros", "Round-trip time variance, microseconds", TcpInfo::rttVarMicros),
            new InfoItem("minRttMicros", "Minimum round-trip time seen, microseconds", TcpInfo::minRttMicros),
            new InfoItem("sndSsthresh", "Slow-start threshold, segments", TcpInfo::sndSsthresh),
            new InfoItem("sndCwnd", "Congestion window, segments", TcpInfo::sndCwnd),
            new InfoItem("totalRetrans", "Retransmissions over the connection's life", TcpInfo::totalRetrans),
            new InfoItem("pacingRate", "Pacing rate, bytes per second (-1: unlimited)", TcpInfo::pacingRate),
            new InfoItem("deliveryRate", "Delivery rate, bytes per second", TcpInfo::deliveryRate),
            new InfoItem("bytesAcked", "Bytes the peer acknowledged", TcpInfo::bytesAcked),
            new InfoItem("bytesReceived", "Bytes received", TcpInfo::bytesReceived),
            new InfoItem("bytesSent", "Bytes sent, retransmissions included", TcpInfo::bytesSent),
            new InfoItem("bytesRetrans", "Bytes retransmitted", TcpInfo::bytesRetrans),
            new InfoItem("segsOut", "Segments sent", TcpInfo::segsOut),
            new InfoItem("segsIn", "Segments received", TcpInfo::segsIn),
            new InfoItem("notsentBytes", "Bytes queued and not yet sent", TcpInfo::notsentBytes),
            new InfoItem("sndWnd", "Peer's advertised receive window, bytes", TcpInfo::sndWnd),
            new InfoItem("rcvWnd", "Our advertised receive window, bytes", TcpInfo::rcvWnd));

    /** ss -m's skmem:(...) figures, named as INET_DIAG_SKMEMINFO's SK_MEMINFO_* (include/uapi/linux/sock_diag.h). */
    private record MemoryItem(String name, String description, ToLongFunction<SocketMemory> value) {
    }

    private static final List<MemoryItem> MEMORY = List.of(
            new MemoryItem("rmem_alloc", "Receive memory in use, bytes (ss -m r)", SocketMemory::rmemAlloc),
            new MemoryItem("rcvbuf", "Receive buffer size, bytes (ss -m rb)", SocketMemory::rcvbuf),
            new MemoryItem("wmem_alloc", "Transmit memory in use, bytes (ss -m t)", SocketMemory::wmemAlloc),
            new MemoryItem("sndbuf", "Send buffer size, bytes (ss -m tb)", SocketMemory::sndbuf),
            new MemoryItem("fwd_alloc", "Memory allocated ahead and not yet used, bytes (ss -m f)", SocketMemory::fwdAlloc),
            new MemoryItem("wmem_queued", "Memory queued for sending, bytes (ss -m w)", SocketMemory::wmemQueued),
            new MemoryItem("optmem", "Socket option memory, bytes (ss -m o)", SocketMemory::optmem),
            new MemoryItem("backlog", "Backlog queue, bytes (ss -m bl)", SocketMemory::backlog),
            new MemoryItem("drops", "Packets dropped before they reached the socket (ss -m d)", SocketMemory::drops));

    /** One socket, without tcp_info. */
    static final CompositeType ROW;
    /** One socket with the tcp_info figures, flat. */
    static final CompositeType ROW_WITH_INFO;
    /** One socket with the process holding it (ss -tanp). */
    static final CompositeType ROW_WITH_PROCESS;
    static final ArrayType<CompositeData[]> TABLE_WITH_PROCESS;
    static final ArrayType<CompositeData[]> TABLE;
    static final ArrayType<CompositeData[]> TABLE_WITH_INFO;
    /** A page of rows and the cursor of the next page. */
    static final CompositeType PAGE;
    /** A page of rows with tcp_info. */
    static final CompositeType PAGE_WITH_INFO;
    private static final String[] PAGE_ITEMS = {"rows", "next", "remaining"};

    static {
        List<String> names = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        List<OpenType<?>> types = new ArrayList<>();
        for (Item i : BASE) {
            names.add(i.name());
            descriptions.add(i.description());
            types.add(i.type());
        }
        try {
            ROW = new CompositeType("org.tcpjmx.Connection", "One TCP socket, as a row of ss -tan",
                    names.toArray(new String[0]), descriptions.toArray(new String[0]), types.toArray(new OpenType<?>[0]));
            List<String> pn = new ArrayList<>(names);
            List<String> pd = new ArrayList<>(descriptions);
            List<OpenType<?>> pt = new ArrayList<>(types);
            pn.add("pid");
            pd.add("ss -p: the process holding the socket (the lowest pid when several do); -1 when none does"
                    + " (TIME_WAIT, request sockets) or its /proc/PID/fd cannot be read");
            pt.add(SimpleType.LONG);
            pn.add("command");
            pd.add("ss -p: that process's command name; empty when pid is -1");
            pt.add(SimpleType.STRING);
            ROW_WITH_PROCESS = new CompositeType("org.tcpjmx.ConnectionWithProcess", "One TCP socket and its process (ss -tanp)",
                    pn.toArray(new String[0]), pd.toArray(new String[0]), pt.toArray(new OpenType<?>[0]));
            TABLE_WITH_PROCESS = ArrayType.getArrayType(ROW_WITH_PROCESS);
            names.add("hasInfo");
            descriptions.add("Whether the kernel gave tcp_info for this socket; when false every tcp_info figure is -1");
            types.add(SimpleType.BOOLEAN);
            for (InfoItem i : INFO) {
                names.add(i.name());
                descriptions.add("tcp_info: " + i.description() + "; -1 when hasInfo is false");
                types.add(SimpleType.LONG);
            }
            names.add("hasMemory");
            descriptions.add("Whether the kernel gave the socket's memory (INET_DIAG_SKMEMINFO); when false the figures are -1");
            types.add(SimpleType.BOOLEAN);
            for (MemoryItem i : MEMORY) {
                names.add(i.name());
                descriptions.add("ss -m: " + i.description() + "; -1 when hasMemory is false");
                types.add(SimpleType.LONG);
            }
            names.add("mark");
            descriptions.add("ss -e fwmark: the socket's mark (SO_MARK); -1 unless this process has CAP_NET_ADMIN,"
                    + " and for TIME_WAIT and request sockets");
            types.add(SimpleType.LONG);
            names.add("cgroupId");
            descriptions.add("ss -e cgroup: the socket's cgroup v2 id (the inode of its directory under the cgroup2 mount);"
                    + " 0 when none (TIME_WAIT, request sockets) or not reported");
            types.add(SimpleType.LONG);
            names.add("tos");
            descriptions.add("ss --tos tos: the IPv4 TOS byte; -1 when not reported (IPv6-only sockets, TIME_WAIT)");
            types.add(SimpleType.INTEGER);
            names.add("tclass");
            descriptions.add("ss --tos tclass: the IPv6 traffic class; -1 when not reported (IPv4 sockets, TIME_WAIT)");
            types.add(SimpleType.INTEGER);
            ROW_WITH_INFO = new CompositeType("org.tcpjmx.ConnectionWithInfo",
                    "One TCP socket with its tcp_info figures, memory and extras (ss -tanmei)", names.toArray(new String[0]),
                    descriptions.toArray(new String[0]), types.toArray(new OpenType<?>[0]));
            TABLE = ArrayType.getArrayType(ROW);
            TABLE_WITH_INFO = ArrayType.getArrayType(ROW_WITH_INFO);
            PAGE = pageType("org.tcpjmx.ConnectionPage", TABLE);
            PAGE_WITH_INFO = pageType("org.tcpjmx.ConnectionPageWithInfo", TABLE_WITH_INFO);
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ConnectionRows() {
    }

    private static CompositeType pageType(String name, ArrayType<CompositeData[]> table) throws OpenDataException {
        return new CompositeType(name, "One page of the TCP table in paging order (socket cookie, then 4-tuple)",
                PAGE_ITEMS, new String[] {
                    "The rows of this page, in paging order",
                    "The cursor of the next page: pass it as 'after'; empty when this page is the last",
                    "Sockets matching the filter after the cursor at the time of this page, this page's rows included"},
                new OpenType<?>[] {table, SimpleType.STRING, SimpleType.LONG});
    }

    /** A page as its open type. */
    static CompositeData page(boolean withInfo, CompositeData[] rows, String next, long remaining) {
        try {
            return new CompositeDataSupport(withInfo ? PAGE_WITH_INFO : PAGE, PAGE_ITEMS, new Object[] {rows, next, remaining});
        } catch (OpenDataException e) {
            throw new IllegalStateException("connection page does not fit its open type: " + e.getMessage(), e);
        }
    }

    /** The row of a connection. */
    static CompositeData row(TcpConnection c, long firstSeen) {
        return row(c, firstSeen, Optional.empty());
    }

    /** The row of a connection with its tcp_info figures. */
    static CompositeData rowWithInfo(TcpConnection c, long firstSeen) {
        return rowWithInfo(c, firstSeen, Optional.empty());
    }

    /** The row of a connection with the process holding it, if any. */
    static CompositeData rowWithProcess(CompositeData base, SocketOwner owner) {
        String[] keys = ROW.keySet().toArray(new String[0]);
        String[] names = java.util.Arrays.copyOf(keys, keys.length + 2);
        Object[] values = java.util.Arrays.copyOf(base.getAll(keys), keys.length + 2);
        names[keys.length] = "pid";
        values[keys.length] = owner == null ? UNKNOWN : owner.pid();
        names[keys.length + 1] = "command";
        values[keys.length + 1] = owner == null ? "" : owner.command();
        try {
            return new CompositeDataSupport(ROW_WITH_PROCESS, names, values);
        } catch (OpenDataException e) {
            throw new IllegalStateException("connection row does not fit its open type: " + e.getMessage(), e);
        }
    }

    /** The row of a connection and where this JVM opened it. */
    static CompositeData row(TcpConnection c, long firstSeen, Optional<SocketOrigin> origin) {
        return composite(ROW, c, firstSeen, origin, false);
    }

    /** The row of a connection with its tcp_info figures and where this JVM opened it. */
    static CompositeData rowWithInfo(TcpConnection c, long firstSeen, Optional<SocketOrigin> origin) {
        return composite(ROW_WITH_INFO, c, firstSeen, origin, true);
    }

    private static CompositeData composite(CompositeType type, TcpConnection c, long firstSeen, Optional<SocketOrigin> origin,
                                           boolean withInfo) {
        int n = BASE.size() + (withInfo ? 1 + INFO.size() + 1 + MEMORY.size() + 4 : 0);
        String[] names = new String[n];
        Object[] values = new Object[n];
        int k = 0;
        Object[] base = {
            c.local().addressText(), c.local().port(), c.remote().addressText(), c.remote().port(), c.state().name(),
            c.family().name(), c.recvQ(), c.sendQ(), c.uid(), c.inode(), c.owned(), c.stack(), c.ifindex(),
            c.hasCookie() ? c.cookie() : UNKNOWN, c.timer().ssName(), c.timerExpiresMillis(), c.timerRetransmits(),
            c.backend().name(), firstSeen, c.tcpdropCommand(), origin.map(SocketOrigin::origin).orElse(""),
            origin.map(o -> String.join(STACK_SEPARATOR, o.stack())).orElse("")
        };
        for (int i = 0; i < BASE.size(); i++) {
            names[k] = BASE.get(i).name();
            values[k++] = base[i];
        }
        if (withInfo) {
            TcpInfo info = c.info().orElse(null);
            names[k] = "hasInfo";
            values[k++] = info != null;
            for (InfoItem i : INFO) {
                names[k] = i.name();
                values[k++] = info == null ? UNKNOWN : i.value().applyAsLong(info);
            }
            SocketExtras x = c.extras();
            SocketMemory memory = x.memory().orElse(null);
            names[k] = "hasMemory";
            values[k++] = memory != null;
            for (MemoryItem i : MEMORY) {
                names[k] = i.name();
                values[k++] = memory == null ? UNKNOWN : i.value().applyAsLong(memory);
            }
            names[k] = "mark";
            values[k++] = x.mark();
            names[k] = "cgroupId";
            values[k++] = x.cgroupId();
            names[k] = "tos";
            values[k++] = x.tos();
            names[k] = "tclass";
            values[k++] = x.tclass();
        }
        try {
            return new CompositeDataSupport(type, names, values);
        } catch (OpenDataException e) {
            throw new IllegalStateException("connection row does not fit its open type: " + e.getMessage(), e);
        }
    }
}
