package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpjmx.jmx.OpenDataAssertions.assertOpenData;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.InvalidAttributeValueException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.OpenType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpjmx.linux.NetlinkException;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * A JMX client on the far side of a real RMI connector reads and calls everything, using only
 * javax.management and open types: what JConsole, VisualVM or a script would see.
 */
class TcpJmxOverRmiTest {
    private static final ObjectName CONNECTIONS = name("org.tcpjmx:type=Connections");
    private static final ObjectName STATES = name("org.tcpjmx:type=States");
    private static final ObjectName DROP = name("org.tcpjmx:type=Drop");
    private static final ObjectName STATISTICS = name("org.tcpjmx:type=Statistics");
    private static final ObjectName SETTINGS = name("org.tcpjmx:type=Settings");
    private static final String[] STRING_INT = {"java.lang.String", "java.lang.Integer"};
    private static final String[] STRING = {"java.lang.String"};

    /** The contract of issue 4: operation name to parameter names. */
    private static final Map<ObjectName, Map<String, List<String>>> OPERATIONS = new LinkedHashMap<>();

    static {
        OPERATIONS.put(CONNECTIONS, Map.of("query", List.of("filter", "limit"), "queryWithInfo", List.of("filter", "limit"),
                "queryPage", List.of("filter", "after", "limit"), "queryPageWithInfo", List.of("filter", "after", "limit"),
                "queryWithProcesses", List.of("filter", "limit"), "byOrigin", List.of("filter")));
        OPERATIONS.put(STATES, Map.of("histogram", List.of("filter"), "byLocalPort", List.of("filter"),
                "byRemoteAddress", List.of("filter", "top")));
        OPERATIONS.put(DROP, Map.of(
                "drop", List.of("localAddress", "localPort", "foreignAddress", "foreignPort"),
                "dropSpec", List.of("spec"),
                "dropAll", List.of("listOnly"),
                "dropState", List.of("state", "listOnly"),
                "dropStack", List.of("stack", "listOnly"),
                "dropStackState", List.of("stack", "state", "listOnly"),
                "dropMatching", List.of("filter", "listOnly"),
                "rebalance", List.of("filter", "fraction", "perSecond", "listOnly"), "cancel", List.of("id")));
        OPERATIONS.put(STATISTICS, Map.of());
        OPERATIONS.put(SETTINGS, Map.of());
    }

    private static RemoteJmx jmx;
    private static MBeanServerConnection client;
    private static ServerSocket listener;
    private static Socket clientSocket;
    private static Socket serverSocket;
    private static int serverPort;
    private static int clientPort;

    @BeforeAll
    static void start() throws Exception {
        jmx = new RemoteJmx(TcpJmxOptions.of(TcpPlatforms.open()));
        client = jmx.connection;
        listener = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        serverPort = listener.getLocalPort();
        clientSocket = new Socket(InetAddress.getByName("127.0.0.1"), serverPort);
        clientPort = clientSocket.getLocalPort();
        serverSocket = listener.accept();
    }

    @AfterAll
    static void stop() throws Exception {
        serverSocket.close();
        clientSocket.close();
        listener.close();
        jmx.close();
    }

    private static ObjectName name(String n) {
        try {
            return new ObjectName(n);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static OpenType<?> openType(MBeanAttributeInfo a) {
        return (OpenType<?>) a.getDescriptor().getFieldValue("openType");
    }

    private static CompositeData[] query(String filter, int limit) throws Exception {
        return (CompositeData[]) client.invoke(CONNECTIONS, "query", new Object[] {filter, limit}, STRING_INT);
    }

    /** The listener, its accepted end and the client end: by the listener's address and port, which are this test's alone. */
    private String ours() {
        return "src 127.0.0.1:" + serverPort + " or dst 127.0.0.1:" + serverPort;
    }

    private String ourClientSide() {
        return "src 127.0.0.1:" + clientPort + " and dst 127.0.0.1:" + serverPort;
    }

    @Test
    void theFiveMBeansAreRegisteredUnderTheirContractNames() throws Exception {
        assertEquals(List.copyOf(OPERATIONS.keySet()), jmx.registration.names());
        assertEquals(Set.copyOf(OPERATIONS.keySet()), client.queryNames(new ObjectName("org.tcpjmx:*"), null));
    }

    @Test
    void mbeanInfoNamesAndDescribesEveryAttributeOperationAndParameter() throws Exception {
        for (Map.Entry<ObjectName, Map<String, List<String>>> bean : OPERATIONS.entrySet()) {
            MBeanInfo info = client.getMBeanInfo(bean.getKey());
            assertFalse(info.getDescription().isBlank(), bean.getKey() + " has a description");
            assertEquals("true", info.getDescriptor().getFieldValue("immutableInfo"));
            for (MBeanAttributeInfo a : info.getAttributes()) {
                String what = bean.getKey() + "." + a.getName();
                assertTrue(a.getDescription().length() > a.getName().length(), what + " is described: " + a.getDescription());
                assertInstanceOf(OpenType.class, openType(a), what + " declares an open type");
            }
            Map<String, List<String>> ops = new LinkedHashMap<>();
            for (MBeanOperationInfo op : info.getOperations()) {
                String what = bean.getKey() + "." + op.getName();
                assertTrue(op.getDescription().length() > 20, what + " is described");
                assertInstanceOf(OpenType.class, op.getDescriptor().getFieldValue("openType"), what + " returns an open type");
                int expectedImpact = op.getName().startsWith("drop") || op.getName().equals("rebalance")
                        || op.getName().equals("cancel") ? MBeanOperationInfo.ACTION : MBeanOperationInfo.INFO;
                assertEquals(expectedImpact, op.getImpact(), what + " impact");
                List<String> params = new ArrayList<>();
                for (MBeanParameterInfo p : op.getSignature()) {
                    assertFalse(p.getName().matches("(p|arg)\\d+"), what + " has a real parameter name: " + p.getName());
                    assertTrue(p.getDescription().length() > p.getName().length(), what + "(" + p.getName() + ") is described");
                    params.add(p.getName());
                }
                assertFalse(ops.containsKey(op.getName()), what + " is not overloaded");
                ops.put(op.getName(), params);
            }
            assertEquals(bean.getValue(), ops, bean.getKey() + " operations and parameter names");
        }
        Set<String> states = attributeNames(STATES);
        for (String s : List.of("Histogram", "OwnHistogram", "Total", "Established", "SynSent", "SynReceived", "FinWait1",
                "FinWait2", "TimeWait", "Closed", "CloseWait", "LastAck", "Listen", "Closing", "OwnCloseWaitThreshold",
                "CloseWaitThreshold", "TimeWaitThreshold", "SampleIntervalMillis")) {
            assertTrue(states.contains(s), "States has " + s);
        }
        assertTrue(attributeNames(CONNECTIONS).containsAll(List.of("Count", "Connections")));
        MBeanNotificationInfo[] notifications = client.getMBeanInfo(STATES).getNotifications();
        Set<String> types = new TreeSet<>();
        for (MBeanNotificationInfo n : notifications) {
            assertFalse(n.getDescription().isBlank());
            types.addAll(Arrays.asList(n.getNotifTypes()));
        }
        assertEquals(Set.of("org.tcpjmx.threshold.exceeded", "org.tcpjmx.threshold.cleared"), types);
    }

    private static Set<String> attributeNames(ObjectName n) throws Exception {
        Set<String> out = new TreeSet<>();
        for (MBeanAttributeInfo a : client.getMBeanInfo(n).getAttributes()) {
            out.add(a.getName());
        }
        return out;
    }

    @Test
    void everyAttributeReadsAsOpenDataOfJdkClasses() throws Exception {
        for (ObjectName n : OPERATIONS.keySet()) {
            MBeanAttributeInfo[] attrs = client.getMBeanInfo(n).getAttributes();
            List<String> names = new ArrayList<>();
            for (MBeanAttributeInfo a : attrs) {
                assertOpenData(n + "." + a.getName(), openType(a), client.getAttribute(n, a.getName()));
                names.add(a.getName());
            }
            AttributeList all = client.getAttributes(n, names.toArray(new String[0]));
            assertEquals(names.size(), all.size(), n + ": getAttributes reads every attribute");
        }
        assertTrue(attributeNames(STATISTICS).size() > 50, "Tcp and TcpExt counters: " + attributeNames(STATISTICS).size());
        assertTrue(attributeNames(SETTINGS).size() > 20, "tcp(4) tunables: " + attributeNames(SETTINGS));
    }

    @Test
    void theTableShowsOurConnectionWithItsTcpdropLine() throws Exception {
        CompositeData[] rows = query(ourClientSide(), 0);
        assertEquals(1, rows.length, Arrays.toString(rows));
        CompositeData r = rows[0];
        // A default JVM's sockets are dual-stack IPv6: an IPv4 peer shows as ::ffff:127.0.0.1, as ss shows it.
        assertEquals("::ffff:127.0.0.1", r.get("localAddress"));
        assertEquals(clientPort, r.get("localPort"));
        assertEquals("::ffff:127.0.0.1", r.get("remoteAddress"));
        assertEquals(serverPort, r.get("remotePort"));
        assertEquals("ESTABLISHED", r.get("state"));
        assertEquals("INET6", r.get("family"));
        assertEquals(true, r.get("owned"));
        assertEquals("NETLINK", r.get("backend"));
        assertTrue((Long) r.get("inode") > 0 && (Long) r.get("cookie") != -1L, r.toString());
        assertEquals(-1L, r.get("firstSeen"), "unknown while TrackFirstSeen is off");
        assertEquals("tcpdrop ::ffff:127.0.0.1 " + clientPort + " ::ffff:127.0.0.1 " + serverPort, r.get("tcpdrop"));
        assertFalse(((String) r.get("stack")).isEmpty(), "netlink names the congestion control");

        assertEquals(2, query("", 2).length, "limit");
        assertEquals(3, query(ours(), 0).length, "listener and both ends");
        assertTrue((Long) client.getAttribute(CONNECTIONS, "Count") >= 3);
        assertEquals("NETLINK", client.getAttribute(CONNECTIONS, "Backend"));
    }

    @Test
    void queryWithInfoAddsTcpInfoFigures() throws Exception {
        OutputStream out = clientSocket.getOutputStream();
        out.write(new byte[100]);
        out.flush();
        serverSocket.getInputStream().readNBytes(100);
        CompositeData[] rows = (CompositeData[]) client.invoke(CONNECTIONS, "queryWithInfo",
                new Object[] {"src 127.0.0.1:" + serverPort + " and dst 127.0.0.1:" + clientPort, 10}, STRING_INT);
        assertEquals(1, rows.length);
        CompositeData r = rows[0];
        assertEquals(true, r.get("hasInfo"));
        assertTrue((Long) r.get("bytesReceived") >= 100, r.toString());
        assertTrue((Long) r.get("sndCwnd") > 0 && (Long) r.get("rttMicros") >= 0, r.toString());
        assertEquals("tcpdrop ::ffff:127.0.0.1 " + serverPort + " ::ffff:127.0.0.1 " + clientPort, r.get("tcpdrop"));
    }

    @Test
    void onTheProcBackendRowsSayWhatTheyCannotKnow() throws Exception {
        var local = MBeanServerFactory.newMBeanServer();
        try (TcpJmx.Registration r = TcpJmx.register(local, TcpJmxOptions.of(TcpPlatforms.open("procfs")))) {
            assertEquals("PROCFS", local.getAttribute(CONNECTIONS, "Backend"));
            CompositeData[] rows = (CompositeData[]) local.invoke(CONNECTIONS, "queryWithInfo",
                    new Object[] {ourClientSide(), 0}, STRING_INT);
            assertEquals(1, rows.length);
            CompositeData row = rows[0];
            assertEquals("PROCFS", row.get("backend"));
            assertEquals(-1L, row.get("cookie"), "/proc has no socket cookie");
            assertEquals(false, row.get("hasInfo"));
            assertEquals(-1L, row.get("rttMicros"));
            assertEquals(-1L, row.get("bytesReceived"));
            assertEquals("ESTABLISHED", row.get("state"));
            assertEquals(true, row.get("owned"));
            assertEquals(r.names().size(), 5);
        }
    }

    @Test
    void statesCountOurSocketsAndBreakThemDownByPortAndPeer() throws Exception {
        List<String> names = new ArrayList<>(List.of("Histogram", "Total", "Established", "TimeWait"));
        AttributeList read = client.getAttributes(STATES, names.toArray(new String[0]));
        Map<String, Object> v = new LinkedHashMap<>();
        for (Attribute a : read.asList()) {
            v.put(a.getName(), a.getValue());
        }
        CompositeData histogram = (CompositeData) v.get("Histogram");
        assertEquals(Set.of("CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT_1", "CLOSING",
                "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT"), histogram.getCompositeType().keySet());
        long sum = 0;
        for (Object count : histogram.values()) {
            sum += (Long) count;
        }
        // Attributes read together come from one dump, so they agree exactly.
        assertEquals(sum, v.get("Total"));
        assertEquals(histogram.get("ESTABLISHED"), v.get("Established"));
        // TimeWait is the kernel's timewait counter (FIN_WAIT_2 entries of closed sockets too), read without a walk.
        assertTrue((Long) v.get("TimeWait") >= 0, v.toString());

        CompositeData own = (CompositeData) client.getAttribute(STATES, "OwnHistogram");
        assertTrue((Long) own.get("ESTABLISHED") >= 2 && (Long) own.get("LISTEN") >= 1, own.toString());

        CompositeData ours = (CompositeData) client.invoke(STATES, "histogram",
                new Object[] {ours()}, STRING);
        for (String s : histogram.getCompositeType().keySet()) {
            long expected = s.equals("LISTEN") ? 1 : s.equals("ESTABLISHED") ? 2 : 0;
            assertEquals(expected, ours.get(s), s);
        }

        CompositeData[] ports = (CompositeData[]) client.invoke(STATES, "byLocalPort",
                new Object[] {"src 127.0.0.1:" + serverPort}, STRING);
        assertEquals(List.of(serverPort + " LISTEN 1", serverPort + " ESTABLISHED 1"), rows(ports, "localPort"));
        CompositeData[] peers = (CompositeData[]) client.invoke(STATES, "byRemoteAddress",
                new Object[] {"src 127.0.0.1:" + serverPort, 5}, STRING_INT);
        assertEquals(List.of("::ffff:127.0.0.1 ESTABLISHED 1"), rows(peers, "remoteAddress"));
    }

    private static List<String> rows(CompositeData[] rows, String key) {
        List<String> out = new ArrayList<>();
        for (CompositeData r : rows) {
            out.add(r.get(key) + " " + r.get("state") + " " + r.get("count"));
        }
        return out;
    }

    @Test
    void statisticsAndSettingsAreTheKernelsFigures() throws Exception {
        long before = (Long) client.getAttribute(STATISTICS, "TcpActiveOpens");
        // A listener of its own: the TIME_WAIT this leaves must not show up in the other tests' counts.
        try (ServerSocket other = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
             Socket s = new Socket(InetAddress.getByName("127.0.0.1"), other.getLocalPort());
             Socket accepted = other.accept()) {
            assertTrue(s.isConnected() && accepted.isConnected());
        }
        long after = (Long) client.getAttribute(STATISTICS, "TcpActiveOpens");
        assertTrue(after >= before + 1, before + " -> " + after);
        MBeanAttributeInfo estab = Arrays.stream(client.getMBeanInfo(STATISTICS).getAttributes())
                .filter(a -> a.getName().equals("TcpCurrEstab")).findFirst().orElseThrow();
        assertEquals("gauge", estab.getDescriptor().getFieldValue("metricType"));

        // readAllLines reads in one go: integer sysctls answer EOF to a read at a non-zero offset.
        assertEquals(Long.parseLong(sysctl("tcp_keepalive_time")), client.getAttribute(SETTINGS, "KeepIdle"));
        assertEquals(sysctl("tcp_congestion_control"), client.getAttribute(SETTINGS, "CongestionControl"));
        String[] wmem = sysctl("tcp_wmem").split("\\s+");
        assertEquals(Long.parseLong(wmem[1]), client.getAttribute(SETTINGS, "SendSpace"));
        CompositeData[] tunables = (CompositeData[]) client.getAttribute(SETTINGS, "Tunables");
        assertEquals(attributeNames(SETTINGS).size() - 1, tunables.length, "one row per tunable attribute");
        CompositeData keepIdle = Arrays.stream(tunables).filter(t -> t.get("attribute").equals("KeepIdle")).findFirst()
                .orElseThrow();
        assertEquals("keepidle", keepIdle.get("freebsdName"));
        assertEquals("/proc/sys/net/ipv4/tcp_keepalive_time", keepIdle.get("linuxPath"));
        assertEquals("seconds", keepIdle.get("unit"));
    }

    private static String sysctl(String ipv4File) throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/sys/net/ipv4", ipv4File)).get(0).trim();
    }

    @Test
    void badArgumentsReachTheClientAsClearMessages() throws Exception {
        RuntimeMBeanException badFilter = assertThrows(RuntimeMBeanException.class, () -> query("state bogus", 0));
        assertInstanceOf(IllegalArgumentException.class, badFilter.getCause());
        assertTrue(badFilter.getCause().getMessage().contains("bogus"), badFilter.getCause().getMessage());
        assertNull(badFilter.getCause().getCause(), "nothing a client might not be able to load");

        RuntimeMBeanException missingTop = assertThrows(RuntimeMBeanException.class,
                () -> client.invoke(STATES, "byRemoteAddress", new Object[] {"", null}, STRING_INT));
        assertTrue(missingTop.getCause().getMessage().contains("'top' is missing"), missingTop.getCause().getMessage());

        RuntimeMBeanException wrongType = assertThrows(RuntimeMBeanException.class,
                () -> client.invoke(CONNECTIONS, "query", new Object[] {"", "5"}, null));
        assertTrue(wrongType.getCause().getMessage().contains("'limit' takes a java.lang.Integer"),
                wrongType.getCause().getMessage());

        RuntimeMBeanException interval = assertThrows(RuntimeMBeanException.class,
                () -> client.setAttribute(STATES, new Attribute("SampleIntervalMillis", 5L)));
        assertInstanceOf(IllegalArgumentException.class, interval.getCause());
        assertTrue(interval.getCause().getMessage().contains("5 is out of range 100-3600000"), interval.getCause().getMessage());

        AttributeNotFoundException readOnly = assertThrows(AttributeNotFoundException.class,
                () -> client.setAttribute(STATES, new Attribute("Total", 3L)));
        assertTrue(readOnly.getMessage().contains("Total is read-only"));
        InvalidAttributeValueException notANumber = assertThrows(InvalidAttributeValueException.class,
                () -> client.setAttribute(STATES, new Attribute("TimeWaitThreshold", "ten")));
        assertTrue(notANumber.getMessage().contains("takes a java.lang.Long"), notANumber.getMessage());
        ReflectionException noSuchOp = assertThrows(ReflectionException.class,
                () -> client.invoke(CONNECTIONS, "select", new Object[0], new String[0]));
        assertTrue(noSuchOp.getMessage().contains("query(java.lang.String filter, java.lang.Integer limit)"), noSuchOp.getMessage());
        AttributeNotFoundException noSuchAttribute = assertThrows(AttributeNotFoundException.class,
                () -> client.getAttribute(CONNECTIONS, "Rows"));
        assertTrue(noSuchAttribute.getMessage().contains("Count"), noSuchAttribute.getMessage());
    }

    @Test
    void aKernelFailureBecomesAPlainJdkExceptionWithItsMessage() {
        RuntimeException e = OpenMBeanBase.clientSafe("reading Connections", new NetlinkException("sock_diag dump", 1));
        assertEquals(IllegalStateException.class, e.getClass());
        assertTrue(e.getMessage().startsWith("reading Connections failed: sock_diag dump: EPERM"), e.getMessage());
        assertNull(e.getCause(), "a NetlinkException would not deserialize on a client without tcpjmx");
        RuntimeException npe = OpenMBeanBase.clientSafe("query", new NullPointerException());
        assertTrue(npe.getMessage().contains("internal error (NullPointerException)"), npe.getMessage());
    }

    @Test
    void registeringTwiceIsRefusedAndCloseUnregistersEverything() throws Exception {
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> TcpJmx.register(jmx.server, TcpJmxOptions.of(TcpPlatforms.open())));
        assertTrue(twice.getMessage().contains("org.tcpjmx:type=Connections is already registered"), twice.getMessage());

        var other = MBeanServerFactory.newMBeanServer();
        TcpJmx.Registration r = TcpJmx.register(other, TcpJmxOptions.of(TcpPlatforms.open()));
        assertEquals(jmx.registration.names(), r.names());
        for (ObjectName n : r.names()) {
            assertTrue(other.isRegistered(n));
        }
        r.close();
        r.close();
        for (ObjectName n : r.names()) {
            assertFalse(other.isRegistered(n), n + " unregistered");
        }
        TcpJmx.register(other, TcpJmxOptions.of(TcpPlatforms.open())).close();
    }
}
