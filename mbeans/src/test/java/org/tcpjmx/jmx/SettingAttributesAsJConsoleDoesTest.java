package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * JConsole turns the text typed into an attribute's field into an {@code Integer} unless it ends in
 * {@code L}: every writable number of every MBean takes an Integer over RMI, and operation
 * parameters take any integral number that fits.
 */
class SettingAttributesAsJConsoleDoesTest {

    @Test
    void everyWritableNumberTakesAnIntegerOverRmi() throws Exception {
        try (RemoteJmx jmx = new RemoteJmx(TcpJmxOptions.of(TcpPlatforms.open()))) {
            MBeanServerConnection client = jmx.connection;
            List<String> set = new ArrayList<>();
            for (ObjectName name : client.queryNames(new ObjectName("org.tcpjmx:*"), null)) {
                for (MBeanAttributeInfo a : client.getMBeanInfo(name).getAttributes()) {
                    if (!a.isWritable() || !(a.getType().equals(Long.class.getName()) || a.getType().equals(Integer.class.getName()))) {
                        continue;
                    }
                    Number before = (Number) client.getAttribute(name, a.getName());
                    int typed = (int) before.longValue() + 1; // what JConsole sends for "N" typed in the field
                    client.setAttribute(name, new Attribute(a.getName(), Integer.valueOf(typed)));
                    Number after = (Number) client.getAttribute(name, a.getName());
                    assertEquals(typed, after.longValue(), name + " " + a.getName());
                    assertEquals(a.getType(), after.getClass().getName(), "the attribute keeps its declared type");
                    client.setAttribute(name, new Attribute(a.getName(), Integer.valueOf((int) before.longValue())));
                    set.add(name.getKeyProperty("type") + "." + a.getName());
                }
            }
            assertTrue(set.containsAll(List.of("States.OwnCloseWaitThreshold", "States.CloseWaitThreshold",
                    "States.TimeWaitThreshold", "States.SampleIntervalMillis")), set.toString());
        }
    }

    @Test
    void anIntegerParameterTakesASmallLongAndRefusesOneThatDoesNotFit() throws Exception {
        try (RemoteJmx jmx = new RemoteJmx(TcpJmxOptions.of(TcpPlatforms.open()))) {
            ObjectName connections = new ObjectName("org.tcpjmx:type=Connections");
            CompositeData[] one = (CompositeData[]) jmx.connection.invoke(connections, "query",
                    new Object[] {"state listen", 1L}, null);
            assertTrue(one.length <= 1, "limit 1 given as a Long");

            RuntimeMBeanException tooBig = assertThrows(RuntimeMBeanException.class, () -> jmx.connection.invoke(connections,
                    "query", new Object[] {"state listen", 1L << 40}, null));
            assertInstanceOf(IllegalArgumentException.class, tooBig.getCause());
            assertTrue(tooBig.getCause().getMessage().contains("'limit' takes a number from -2147483648 to 2147483647, not 1099511627776"),
                    tooBig.getCause().getMessage());
        }
    }
}
