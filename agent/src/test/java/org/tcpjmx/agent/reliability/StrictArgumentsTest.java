package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import javax.management.openmbean.SimpleType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpjmx.agent.AgentEntry;
import org.tcpjmx.agent.http.StrictArgumentSerializer;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;

/**
 * "An operator types {@code "listOnly": "yes"} into curl": Jolokia alone reads any string but
 * {@code true} as {@code false}, so a listing meant as a dry run dropped for real. The agent's
 * serializer takes a boolean only as a boolean (or the string true/false) and a number only when it
 * is a whole number that fits.
 */
class StrictArgumentsTest {
    private final StrictArgumentSerializer serializer = new StrictArgumentSerializer();

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "ture", "on", "", "t"})
    void aStringThatIsNotTrueOrFalseIsNoBoolean(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> serializer.deserializeOpenType(SimpleType.BOOLEAN, value));
        assertEquals("'" + value + "' is not a boolean; use true or false", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> serializer.deserialize("boolean", value));
        assertThrows(IllegalArgumentException.class, () -> serializer.deserialize("java.lang.Boolean", value));
    }

    @Test
    void booleansAndTheirNamesAreBooleans() {
        assertEquals(Boolean.TRUE, serializer.deserializeOpenType(SimpleType.BOOLEAN, true));
        assertEquals(Boolean.FALSE, serializer.deserializeOpenType(SimpleType.BOOLEAN, "False"));
        assertEquals(Boolean.TRUE, serializer.deserialize("boolean", " TRUE "));
        assertThrows(IllegalArgumentException.class, () -> serializer.deserializeOpenType(SimpleType.BOOLEAN, 1L),
                "a JSON 1 is not true");
    }

    @Test
    void numbersMustBeWholeAndFit() {
        assertEquals(5, serializer.deserializeOpenType(SimpleType.INTEGER, 5L));
        assertEquals(7, serializer.deserializeOpenType(SimpleType.INTEGER, " 7"));
        assertEquals(Long.MAX_VALUE, serializer.deserializeOpenType(SimpleType.LONG, Long.toString(Long.MAX_VALUE)));
        for (Object bad : List.of(2147483648L, "x", new BigDecimal("1.5"), "", "9".repeat(30))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> serializer.deserializeOpenType(SimpleType.INTEGER, bad), String.valueOf(bad));
            assertTrue(e.getMessage().contains("is not an int (a whole number from -2147483648 to 2147483647)"), e.getMessage());
        }
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> serializer.deserialize("long", "9".repeat(100_000)));
        assertTrue(huge.getMessage().length() < 200, "a huge value is quoted by its start only");
        assertEquals("text", serializer.deserializeOpenType(SimpleType.STRING, "text"), "other types are Jolokia's");
    }

    @Test
    void aRebalanceFractionIsAnyJsonNumber() {
        assertEquals(1.0, serializer.deserializeOpenType(SimpleType.DOUBLE, 1L), "a JSON 1 (Jolokia alone refuses it)");
        assertEquals(0.33, serializer.deserializeOpenType(SimpleType.DOUBLE, new BigDecimal("0.33")));
        assertEquals(0.5, serializer.deserialize("double", " 0.5"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> serializer.deserializeOpenType(SimpleType.DOUBLE, "a third"));
        assertEquals("'a third' is not a number", e.getMessage());
    }

    @Test
    void overHttpAMistypedListOnlyIsRefusedAndDropsNothing() throws Exception {
        AutoCloseable agent = AgentEntry.start("port=0");
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket served = listener.accept()) {
            String url = System.getProperty("tcpjmx.agent.url");
            String ours = "src 127.0.0.1:" + listener.getLocalPort() + " or dst 127.0.0.1:" + listener.getLocalPort();
            for (Object listOnly : List.of("yes", 1L, "ture")) {
                Answer a = Http.post(url, Http.exec("org.tcpjmx:type=Drop", "dropMatching", ours, listOnly));
                assertEquals(400, a.jolokiaStatus(), a.body());
                assertTrue(a.error().contains("'" + listOnly + "' is not a boolean"), a.body());
            }
            Answer listed = Http.post(url, Http.exec("org.tcpjmx:type=Drop", "dropMatching", ours, "true"));
            assertEquals(2L, ((Number) ((Map<?, ?>) listed.value()).get("matched")).longValue(), listed.body());
            client.getOutputStream().write(42);
            assertEquals(42, served.getInputStream().read(), "the connection was only listed, never dropped");
        } finally {
            agent.close();
        }
        assertTrue(ManagementFactory.getPlatformMBeanServer().queryNames(new javax.management.ObjectName("org.tcpjmx:*"), null).isEmpty());
    }
}
