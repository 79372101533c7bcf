import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JMX client with nothing but the JDK, run as a source file in its own JVM by
 * AClientWithoutTcpjmxClassesTest: it reads every attribute of every org.tcpjmx MBean and calls
 * every query and every drop in list mode, printing one line each. Anything that needed a tcpjmx
 * class would fail to unmarshal here.
 */
public class PlainJmxClient {
    public static void main(String[] args) throws Exception {
        try {
            Class.forName("org.tcpjmx.jmx.TcpJmx");
            System.out.println("TCPJMX-CLASSES-VISIBLE");
            System.exit(3);
        } catch (ClassNotFoundException expected) {
            System.out.println("NO-TCPJMX-CLASSES");
        }
        String stack = args[1];
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(args[0]))) {
            MBeanServerConnection s = c.getMBeanServerConnection();
            Set<ObjectName> names = new TreeSet<>(s.queryNames(new ObjectName("org.tcpjmx:*"), null));
            for (ObjectName n : names) {
                MBeanInfo info = s.getMBeanInfo(n);
                for (MBeanAttributeInfo a : info.getAttributes()) {
                    Object v = s.getAttribute(n, a.getName());
                    System.out.println("ATTR " + n + " " + a.getName() + " " + describe(v));
                }
                for (MBeanOperationInfo op : info.getOperations()) {
                    if (op.getName().equals("drop") || op.getName().equals("dropSpec") || op.getName().equals("cancel")) {
                        continue; // these drop (or cancel) for real; the list-mode operations show the result type
                    }
                    MBeanParameterInfo[] sig = op.getSignature();
                    Object[] values = new Object[sig.length];
                    String[] types = new String[sig.length];
                    for (int i = 0; i < sig.length; i++) {
                        types[i] = sig[i].getType();
                        values[i] = argument(sig[i].getName(), stack);
                    }
                    Object result = s.invoke(n, op.getName(), values, types);
                    System.out.println("OP " + n + " " + op.getName() + Arrays.toString(values) + " " + describe(result));
                }
            }
            try {
                s.invoke(new ObjectName("org.tcpjmx:type=Drop"), "dropSpec", new Object[] {"not a connection"},
                        new String[] {"java.lang.String"});
                System.out.println("BAD dropSpec accepted");
            } catch (RuntimeMBeanException e) {
                System.out.println("BAD dropSpec " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage());
            }
        }
    }

    private static Object argument(String parameter, String stack) {
        switch (parameter) {
            case "filter": return "state established";
            case "state": return "ESTABLISHED";
            case "stack": return stack;
            case "listOnly": return Boolean.TRUE;
            case "top": case "limit": return 3;
            case "fraction": return 1.0;
            case "perSecond": return 0;
            case "after": return "";
            default: throw new IllegalArgumentException("no test value for parameter " + parameter);
        }
    }

    private static String describe(Object v) {
        if (v instanceof CompositeData[]) {
            CompositeData[] rows = (CompositeData[]) v;
            return "rows=" + rows.length + (rows.length > 0 ? " first=" + rows[0].getCompositeType().keySet() : "");
        }
        if (v instanceof CompositeData) {
            CompositeData d = (CompositeData) v;
            StringBuilder sb = new StringBuilder("{");
            for (String k : d.getCompositeType().keySet()) {
                Object x = d.get(k);
                sb.append(k).append('=').append(x instanceof String[] ? Arrays.toString((String[]) x)
                        : x instanceof CompositeData[] ? "rows:" + ((CompositeData[]) x).length : x).append(';');
            }
            return sb.append('}').toString();
        }
        return v.getClass().getName() + ":" + v;
    }
}
