package org.tcpjmx.agent;

import java.util.List;
import java.util.function.Supplier;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.jmx.OpenAttribute;
import org.tcpjmx.jmx.OpenMBeanBase;

/**
 * {@code org.tcpjmx:type=Agent}: what the agent is and what it can do here: version, backend,
 * capabilities, where Jolokia listens, origin tracking ({@code TrackOrigins}, the one writable attribute). Open types only; an {@link OpenMBeanBase} like
 * every tcpjmx MBean, so its errors reach clients as theirs do.
 */
final class AgentBean extends OpenMBeanBase {
    /** The agent's own MBean name. */
    static final ObjectName NAME = name("org.tcpjmx:type=Agent");

    AgentBean(String version, RunningState state, HostCapabilities caps, ManagementConnections management) {
        super("The tcpjmx agent in this JVM. Its version, backend (netlink or procfs), what it may drop here, where Jolokia listens");
        add("Version", SimpleType.STRING, "Version of the tcpjmx agent", () -> version);
        add("Backend", SimpleType.STRING, "Where the TCP table comes from: netlink (NETLINK_SOCK_DIAG) or procfs (/proc/net/tcp, the fallback)",
                () -> state.backend());
        add("BackendDetail", SimpleType.STRING, "Which backend is in use and, after a fallback (netlink or native access unavailable), why",
                () -> state.backendDetail());
        add("NativeAccess", SimpleType.STRING, "Whether this JDK lets the agent's JNA call native code. JDK 24+ need --enable-native-access=ALL-UNNAMED",
                NativeAccess::describe);
        add("CanDropOthersSockets", SimpleType.BOOLEAN, "Whether sockets of other processes can be dropped. That takes the netlink backend, CAP_NET_ADMIN and a kernel with CONFIG_INET_DIAG_DESTROY",
                caps::canDropOthers);
        add("CanDropTimeWait", SimpleType.BOOLEAN, "Whether TIME_WAIT entries can be dropped: as CanDropOthersSockets, on Linux 6.0 or later",
                caps::canDropTimeWait);
        add("CapNetAdmin", SimpleType.BOOLEAN, "Whether CAP_NET_ADMIN is in this process's effective capability set. From /proc/self/status CapEff, bit 12",
                caps::capNetAdmin);
        add("KernelRelease", SimpleType.STRING, "The running kernel (uname -r)", caps::kernelRelease);
        add("Capabilities", stringArray(), "One sentence per finding behind the capability flags", () -> caps.detail().toArray(new String[0]));
        add("JolokiaUrl", SimpleType.STRING, "URL of the agent's Jolokia HTTP bridge, ending with '/'; empty when started with jolokia=false",
                () -> state.jolokiaUrl());
        add("ReadOnly", SimpleType.BOOLEAN, "Whether drop operations are refused (agent option readOnly=true)", () -> state.readOnly());
        add("Authenticated", SimpleType.BOOLEAN, "Whether Jolokia requires HTTP basic auth (agent options user= and password=)",
                () -> state.authenticated());
        add("ProtectedEndpoints", stringArray(), "Listeners whose connections bulk drops never cut. The agent's Jolokia port and the JVM's JMX remote ports",
                () -> management.describe().toArray(new String[0]));
        add("OtherJmxBridges", stringArray(), "Other bridges to this JVM's platform MBeanServer and whether they reach the drop operations."
                + " Another Jolokia, a JMX remote port without authentication (agent option dropAccess)",
                () -> state.otherJmxBridges().toArray(new String[0]));
        add("MBeans", stringArray(), "Every MBean the agent registered", () -> state.mbeans().toArray(new String[0]));
        attribute(OpenAttribute.writable("TrackOrigins", "Whether the agent records where this JVM opens each TCP socket"
                + " (connect, accept). For the origin column of Connections rows and Connections.byOrigin (agent option"
                + " trackOrigins=true). Setting it true retransforms the JDK's socket classes, false restores them and forgets"
                + " the records; refused, changing nothing, where this JVM cannot retransform", SimpleType.BOOLEAN,
                ctx -> state.trackOrigins(), v -> state.trackOrigins((Boolean) v)));
        add("OriginRecords", SimpleType.LONG, "Origin records held now: this JVM's open sockets recorded while TrackOrigins was on",
                () -> state.originRecords());
        add("OriginsNotRecorded", SimpleType.LONG, "Sockets that got no origin record because the cap of records was reached",
                () -> state.originsNotRecorded());
    }

    /** What changes while the agent runs, read when an attribute is asked for. */
    interface RunningState {
        String backend();

        String backendDetail();

        String jolokiaUrl();

        boolean readOnly();

        boolean authenticated();

        List<String> mbeans();

        /** The entries of {@code OtherJmxBridges}. */
        default List<String> otherJmxBridges() {
            return List.of();
        }

        /** {@code TrackOrigins}. */
        default boolean trackOrigins() {
            return false;
        }

        /**
         * Switches origin tracking.
         *
         * @throws IllegalStateException when this JVM cannot track origins, saying why; nothing changes
         */
        default void trackOrigins(boolean on) {
            throw new IllegalStateException("origin tracking is not available in this agent");
        }

        /** {@code OriginRecords}. */
        default long originRecords() {
            return 0;
        }

        /** {@code OriginsNotRecorded}. */
        default long originsNotRecorded() {
            return 0;
        }
    }

    private void add(String name, OpenType<?> type, String description, Supplier<Object> value) {
        attribute(OpenAttribute.readOnly(name, description, type, ctx -> value.get()));
    }

    private static ArrayType<String[]> stringArray() {
        try {
            return ArrayType.getArrayType(SimpleType.STRING);
        } catch (OpenDataException e) {
            throw new IllegalStateException("String[] is an open type", e);
        }
    }

    private static ObjectName name(String n) {
        try {
            return new ObjectName(n);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(n, e);
        }
    }
}
