package org.tcpjmx.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** "tcpdrop's argument forms all mean the same connection": the two-argument splits, ports by name, numeric literals. */
class ReadingTcpdropArgumentsTest {

    @Test
    void twoArgumentFormsSplitAtTheLastPeriodOrColon() {
        assertEquals(new ConnectionSpec("192.168.5.41", "80", "192.168.5.1", "26747"),
                ConnectionSpec.parse("192.168.5.41.80 192.168.5.1.26747"));
        assertEquals(new ConnectionSpec("192.168.5.41", "80", "192.168.5.1", "26747"),
                ConnectionSpec.parse("192.168.5.41:80\t192.168.5.1:26747"));
        assertEquals(new ConnectionSpec("fe80::1", "443", "2001:db8::2", "5000"),
                ConnectionSpec.parse("fe80::1.443 2001:db8::2.5000"));
        assertEquals(new ConnectionSpec("::ffff:10.0.0.1", "80", "::1", "22"),
                ConnectionSpec.parse("[::ffff:10.0.0.1]:80 [::1]:22"));
        assertEquals(new ConnectionSpec("www.example.org", "http", "host", "1234"),
                ConnectionSpec.parse("www.example.org:http host.1234"));
        assertEquals(new ConnectionSpec("a", "1", "b", "2"), ConnectionSpec.parse("  a 1 b 2  "));
        assertEquals(new ConnectionSpec("a", "1", "b", "2"), ConnectionSpec.of(List.of("a", "1", "b", "2")));
    }

    @Test
    void malformedFormsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionSpec.parse("[::1]80 [::1]:22"))
                .getMessage().contains("'[::1]80'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionSpec.parse(":80 ::1:22"))
                .getMessage().contains("':80' has no port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionSpec.of(List.of("a", "b", "c")))
                .getMessage().contains("not 3"));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionSpec(null, "1", "b", "2"));
    }

    @Test
    void portsAreNumbersFromOneTo65535() {
        assertEquals(1, TcpPorts.parse("port", "1"));
        assertEquals(65535, TcpPorts.parse("port", "65535"));
        assertEquals(80, TcpPorts.parse("port", "00080"));
        for (String bad : new String[] {"0", "-1", "65536", "x", "1e3", "+80", "99999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TcpPorts.parse("local port", bad));
            assertTrue(e.getMessage().startsWith("local port '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    @EnabledIf("servicesFileExists")
    void portsMayBeServiceNames() {
        assertEquals(22, TcpPorts.parse("port", "ssh"));
        assertEquals(80, TcpPorts.parse("port", "http"));
        assertEquals(80, TcpPorts.parse("port", "www"), "aliases count too");
    }

    @Test
    void numericAddressesNeverTouchDns() {
        HostResolver noDns = new HostResolver(java.time.Duration.ofMillis(1));
        assertEquals(16, noDns.resolve("a", "::ffff:127.0.0.1").get(0).length, "a mapped literal stays mapped");
        assertEquals(4, noDns.resolve("a", "10.1.2.3").get(0).length);
        assertEquals(16, noDns.resolve("a", "[2001:db8::1]").get(0).length);
    }

    static boolean servicesFileExists() {
        return Files.isReadable(Paths.get("/etc/services"));
    }
}
