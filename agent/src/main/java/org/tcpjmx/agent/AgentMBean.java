package org.tcpjmx.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InvalidAttributeValueException;
import javax.management.JMException;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfoSupport;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * {@code org.tcpjmx:type=Agent}: what the agent is and what it can do here: version, backend,
 * capabilities, where Jolokia listens, origin tracking. Open types only; {@code TrackOrigins} is the
 * one writable attribute.
 */
final class AgentMBean implements DynamicMBean {
    /** The agent's own MBean name. */
    static final ObjectName NAME = name("org.tcpjmx:type=Agent");
    /** The one writable attribute. */
    private static final String WRITABLE = "TrackOrigins";
    private final RunningState state;

    private final Map<String, Attr> attributes = new LinkedHashMap<>();
    private final MBeanInfo info;

    private record Attr(OpenType<?> type, String description, Supplier<Object> value) {
    }

    AgentMBean(String version, RunningState state, HostCapabilities caps, ManagementConnections management) {
        this.state = state;
        add("Version", SimpleType.STRING, "Version of the tcpjmx agent", () -> version);
        add("Backend", SimpleType.STRING, "Where the TCP table comes from: netlink (NETLINK_SOCK_DIAG) or procfs (/proc/net/tcp, the fallback)",
                () -> state.backend());
        add("BackendDetail", SimpleType.STRING, "Which backend is in use and, after a fallback (netlink or native access unavailable), why",
                () -> state.backendDetail());
        add("NativeAccess", SimpleType.STRING, "Whether this JDK lets the agent's JNA call native code (JDK 24+ need --enable-native-access=ALL-UNNAMED)",
                NativeAccess::describe);
        add("CanDropOthersSockets", SimpleType.BOOLEAN, "Whether sockets of other processes can be dropped: netlink backend, CAP_NET_ADMIN and a kernel with CONFIG_INET_DIAG_DESTROY",
                caps::canDropOthers);
        add("CanDropTimeWait", SimpleType.BOOLEAN, "Whether TIME_WAIT entries can be dropped: as CanDropOthersSockets, on Linux 6.0 or later",
                caps::canDropTimeWait);
        add("CapNetAdmin", SimpleType.BOOLEAN, "Whether CAP_NET_ADMIN is in this process's effective capability set (/proc/self/status CapEff, bit 12)",
                caps::capNetAdmin);
        add("KernelRelease", SimpleType.STRING, "The running kernel (uname -r)", caps::kernelRelease);
        add("Capabilities", stringArray(), "One sentence per finding behind the capability flags", () -> caps.detail().toArray(new String[0]));
        add("JolokiaUrl", SimpleType.STRING, "URL of the agent's Jolokia HTTP bridge, ending with '/'; empty when started with jolokia=false",
                () -> state.jolokiaUrl());
        add("ReadOnly", SimpleType.BOOLEAN, "Whether drop operations are refused (agent option readOnly=true)", () -> state.readOnly());
        add("Authenticated", SimpleType.BOOLEAN, "Whether Jolokia requires HTTP basic auth (agent options user= and password=)",
                () -> state.authenticated());
        add("ProtectedEndpoints", stringArray(), "Listeners whose connections bulk drops never cut: the agent's Jolokia port and the JVM's JMX remote ports",
                () -> management.describe().toArray(new String[0]));
        add("OtherJmxBridges", stringArray(), "Other bridges to this JVM's platform MBeanServer (another Jolokia, a JMX remote port"
                + " without authentication) and whether the drop operations are reachable through them (agent option dropAccess)",
                () -> state.otherJmxBridges().toArray(new String[0]));
        add("MBeans", stringArray(), "Every MBean the agent registered", () -> state.mbeans().toArray(new String[0]));
        add("TrackOrigins", SimpleType.BOOLEAN, "Whether the agent records where this JVM opens each TCP socket (connect, accept),"
                + " for the origin column of Connections rows and Connections.byOrigin; writable (agent option trackOrigins=true)."
                + " Switching it on retransforms the JDK's socket classes; off restores them and forgets the records",
                () -> state.trackOrigins());
        add("OriginRecords", SimpleType.LONG, "Origin records held now: this JVM's open sockets recorded while TrackOrigins was on",
                () -> state.originRecords());
        add("OriginsNotRecorded", SimpleType.LONG, "Sockets that got no origin record because the cap of records was reached",
                () -> state.originsNotRecorded());

        OpenMBeanAttributeInfoSupport[] attrs = attributes.entrySet().stream()
                .map(e -> new OpenMBeanAttributeInfoSupport(e.getKey(), e.getValue().description(), e.getValue().type(), true,
                        WRITABLE.equals(e.getKey()), false))
                .toArray(OpenMBeanAttributeInfoSupport[]::new);
        info = new OpenMBeanInfoSupport(AgentMBean.class.getName(),
                "The tcpjmx agent in this JVM: version, backend (netlink or procfs), what it may drop here, where Jolokia listens",
                attrs, new OpenMBeanConstructorInfoSupport[0], new OpenMBeanOperationInfoSupport[0], new MBeanNotificationInfo[0]);
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
        attributes.put(name, new Attr(type, description, value));
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

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Attr a = attributes.get(attribute);
        if (a == null) {
            throw new AttributeNotFoundException("no attribute '" + attribute + "'; attributes are " + attributes.keySet());
        }
        return a.value().get();
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException, InvalidAttributeValueException {
        if (!WRITABLE.equals(attribute.getName())) {
            throw new AttributeNotFoundException("org.tcpjmx:type=Agent has one writable attribute, " + WRITABLE + "; '"
                    + attribute.getName() + "' cannot be set");
        }
        if (!(attribute.getValue() instanceof Boolean on)) {
            throw new InvalidAttributeValueException(WRITABLE + " is a Boolean; '" + attribute.getValue() + "' is not");
        }
        // An IllegalStateException (no retransformation here) reaches the client as a RuntimeMBeanException with its message.
        state.trackOrigins(on);
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList list = new AttributeList();
        for (String n : names) {
            Attr a = attributes.get(n);
            if (a != null) {
                list.add(new Attribute(n, a.value().get()));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList list) {
        AttributeList done = new AttributeList();
        for (Attribute a : list.asList()) {
            try {
                setAttribute(a);
                done.add(a);
            } catch (JMException | RuntimeException e) {
                // JMX's contract: the attributes not set are left out of the answer.
            }
        }
        return done;
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName),
                "org.tcpjmx:type=Agent has no operations; '" + actionName + "' does not exist");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
