package org.tcpjmx.jmx;

import java.util.List;
import java.util.SortedMap;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpHistograms.AddressCount;
import org.tcpjmx.platform.TcpHistograms.PortCount;

/**
 * Open types of the histograms. A state histogram is one {@link CompositeData} whose item names
 * are the eleven state names, so Jolokia renders it as {@code {"ESTABLISHED":12,"TIME_WAIT":3,...}};
 * the per-port and per-address breakdowns are arrays of flat {@code {localPort|remoteAddress,
 * state, count}} rows, one labelled series each for jmx_exporter. The per-listening-port
 * histograms are a {@link TabularData} indexed by {@value #PORT_ITEM} whose rows carry the port and
 * the eleven state counts: Jolokia renders it as {@code {"8080": {"AtPort": 8080,
 * "ESTABLISHED": 12, ...}}}, and jmx_exporter turns the index into a label and each state into a
 * value, since it reads attributes but never calls operations.
 */
final class HistogramTypes {
    static final CompositeType STATES;
    static final CompositeType PORT_ROW;
    static final CompositeType ADDRESS_ROW;
    static final ArrayType<CompositeData[]> PORT_ROWS;
    static final ArrayType<CompositeData[]> ADDRESS_ROWS;
    static final CompositeType PORT_HISTOGRAM;
    static final TabularType PORT_HISTOGRAMS;
    /**
     * The port's item (and index) in {@link #PORT_HISTOGRAM}. JConsole lists a row's items in
     * {@link CompositeType#keySet()} order, which is String order, uppercase before lowercase: a name
     * that sorts before CLOSED puts the port at the top of the row rather than under TIME_WAIT
     * (it was {@code localPort}; src/docs/mbeans.md notes the rename for scripts that read it).
     */
    static final String PORT_ITEM = "AtPort";

    static {
        TcpState[] states = TcpState.values();
        String[] names = new String[states.length];
        String[] descriptions = new String[states.length];
        OpenType<?>[] types = new OpenType<?>[states.length];
        for (int i = 0; i < states.length; i++) {
            names[i] = states[i].name();
            descriptions[i] = "Sockets in state " + states[i].name();
            types[i] = SimpleType.LONG;
        }
        try {
            STATES = new CompositeType("org.tcpjmx.StateHistogram", "Sockets per TCP state, every state present",
                    names, descriptions, types);
            PORT_ROW = new CompositeType("org.tcpjmx.PortStateCount", "Sockets on one local port in one state",
                    new String[] {"localPort", "state", "count"},
                    new String[] {"Local port", "TCP state (tcpdrop's name)", "Sockets on that port in that state"},
                    new OpenType<?>[] {SimpleType.INTEGER, SimpleType.STRING, SimpleType.LONG});
            ADDRESS_ROW = new CompositeType("org.tcpjmx.AddressStateCount", "Sockets to one remote address in one state",
                    new String[] {"remoteAddress", "state", "count"},
                    new String[] {"Remote address, numeric", "TCP state (tcpdrop's name)", "Sockets to that address in that state"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.LONG});
            PORT_ROWS = ArrayType.getArrayType(PORT_ROW);
            ADDRESS_ROWS = ArrayType.getArrayType(ADDRESS_ROW);
            String[] portNames = new String[states.length + 1];
            String[] portDescriptions = new String[states.length + 1];
            OpenType<?>[] portTypes = new OpenType<?>[states.length + 1];
            portNames[0] = PORT_ITEM;
            portDescriptions[0] = "Local port where a socket listens";
            portTypes[0] = SimpleType.INTEGER;
            System.arraycopy(names, 0, portNames, 1, states.length);
            for (int i = 0; i < states.length; i++) {
                portDescriptions[i + 1] = "Sockets on that local port in state " + states[i].name();
            }
            System.arraycopy(types, 0, portTypes, 1, states.length);
            PORT_HISTOGRAM = new CompositeType("org.tcpjmx.PortStateHistogram",
                    "Sockets on one local port per TCP state, every state present", portNames, portDescriptions, portTypes);
            PORT_HISTOGRAMS = new TabularType("org.tcpjmx.PortStateHistograms",
                    "Sockets per TCP state on each listening port, one row per port", PORT_HISTOGRAM, new String[] {PORT_ITEM});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private HistogramTypes() {
    }

    static CompositeData states(StateHistogram h) {
        TcpState[] states = TcpState.values();
        String[] names = new String[states.length];
        Object[] values = new Object[states.length];
        for (int i = 0; i < states.length; i++) {
            names[i] = states[i].name();
            values[i] = h.count(states[i]);
        }
        return composite(STATES, names, values);
    }

    static CompositeData[] ports(List<PortCount> rows) {
        CompositeData[] out = new CompositeData[rows.size()];
        for (int i = 0; i < out.length; i++) {
            PortCount r = rows.get(i);
            out[i] = composite(PORT_ROW, new String[] {"localPort", "state", "count"},
                    new Object[] {r.localPort(), r.state().name(), r.count()});
        }
        return out;
    }

    static CompositeData[] addresses(List<AddressCount> rows) {
        CompositeData[] out = new CompositeData[rows.size()];
        for (int i = 0; i < out.length; i++) {
            AddressCount r = rows.get(i);
            out[i] = composite(ADDRESS_ROW, new String[] {"remoteAddress", "state", "count"},
                    new Object[] {r.remoteAddress(), r.state().name(), r.count()});
        }
        return out;
    }

    static TabularData portHistograms(SortedMap<Integer, StateHistogram> byPort) {
        TcpState[] states = TcpState.values();
        String[] names = new String[states.length + 1];
        names[0] = PORT_ITEM;
        for (int i = 0; i < states.length; i++) {
            names[i + 1] = states[i].name();
        }
        TabularDataSupport out = new TabularDataSupport(PORT_HISTOGRAMS);
        byPort.forEach((port, h) -> {
            Object[] values = new Object[names.length];
            values[0] = port;
            for (int i = 0; i < states.length; i++) {
                values[i + 1] = h.count(states[i]);
            }
            out.put(composite(PORT_HISTOGRAM, names, values));
        });
        return out;
    }

    private static CompositeData composite(CompositeType type, String[] names, Object[] values) {
        try {
            return new CompositeDataSupport(type, names, values);
        } catch (OpenDataException e) {
            throw new IllegalStateException(type.getTypeName() + " does not fit its open type: " + e.getMessage(), e);
        }
    }
}
