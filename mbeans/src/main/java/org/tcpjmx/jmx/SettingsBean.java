package org.tcpjmx.jmx;

import java.util.List;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.tcpjmx.model.Tunable;
import org.tcpjmx.model.Tunable.Kind;
import org.tcpjmx.model.TunableValue;
import org.tcpjmx.platform.TcpPlatform;

/**
 * {@code org.tcpjmx:type=Settings}: the tcp(4) MIB variables that have a Linux counterpart,
 * read-only, one attribute each ({@code Long} for numbers, {@code String} for names), plus
 * {@code Tunables}, the whole mapping with values. Tunables whose file this kernel lacks are left
 * out. src/docs/tunables.md lists the mapping.
 */
final class SettingsBean extends OpenMBeanBase {
    private static final String[] ROW_ITEMS = {"attribute", "freebsdName", "linuxPath", "field", "value", "unit", "description"};
    static final CompositeType ROW;
    static final ArrayType<CompositeData[]> ROWS;

    static {
        try {
            ROW = new CompositeType("org.tcpjmx.Tunable", "A tcp(4) variable, its Linux counterpart and value", ROW_ITEMS,
                    new String[] {"Attribute name in org.tcpjmx:type=Settings", "Variable under net.inet.tcp in tcp(4)",
                        "The Linux file under /proc/sys", "0 for the whole file, else the 1-based field used",
                        "Current value as Linux keeps it", "Unit of the Linux value", "What the Linux value means"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.INTEGER,
                        SimpleType.STRING, SimpleType.STRING, SimpleType.STRING});
            ROWS = ArrayType.getArrayType(ROW);
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TcpPlatform platform;

    SettingsBean(TcpPlatform platform) {
        super("The tcp(4) tunables mapped to their Linux sysctls, read-only, in Linux's units. tcp(4) calls them"
                + " the net.inet.tcp MIB variables");
        this.platform = platform;
        attribute(OpenAttribute.readOnly("Tunables", "Every mapped tcp(4) variable this kernel has, one row each. Its"
                + " attribute, tcp(4) name, Linux file, value, unit and meaning", ROWS, ctx -> rows()));
        for (TunableValue s : platform.readTunables()) {
            Tunable t = s.tunable();
            String description = t.description() + " [tcp(4) " + t.freebsdName() + "; " + t.linuxPath()
                    + (t.field() == 0 ? "" : " field " + t.field()) + "; " + t.unit() + "]";
            OpenAttribute a = t.kind() == Kind.NUMBER
                    ? OpenAttribute.readOnly(t.attribute(), description, SimpleType.LONG, ctx -> number(t))
                    : OpenAttribute.readOnly(t.attribute(), description, SimpleType.STRING, ctx -> current(t).value());
            attribute(a.withDescriptor("units=" + t.unit()));
        }
    }

    private TunableValue current(Tunable t) {
        return platform.read(t).orElseThrow(() -> new IllegalStateException(t.linuxPath() + " is no longer readable"));
    }

    private long number(Tunable t) {
        TunableValue s = current(t);
        return s.number().orElseThrow(() -> new IllegalStateException(t.linuxPath() + " does not hold a number: '"
                + s.value() + "'"));
    }

    private CompositeData[] rows() {
        List<TunableValue> settings = platform.readTunables();
        CompositeData[] out = new CompositeData[settings.size()];
        for (int i = 0; i < out.length; i++) {
            Tunable t = settings.get(i).tunable();
            try {
                out[i] = new CompositeDataSupport(ROW, ROW_ITEMS, new Object[] {t.attribute(), t.freebsdName(),
                    t.linuxPath(), t.field(), settings.get(i).value(), t.unit(), t.description()});
            } catch (OpenDataException e) {
                throw new IllegalStateException("tunable row does not fit its type: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
