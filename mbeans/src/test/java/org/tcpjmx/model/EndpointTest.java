package org.tcpjmx.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An endpoint with another port is a full, independent endpoint that only shares immutable parts. */
class EndpointTest {

    @Test
    void withPortKeepsTheAddressAndChangesOnlyThePort() {
        Endpoint a = Endpoint.of("::ffff:127.0.0.1", 8080);
        assertEquals("::ffff:127.0.0.1", a.addressText());
        Endpoint b = a.withPort(9090);
        assertEquals("[::ffff:127.0.0.1]:9090", b.toString());
        assertEquals(Endpoint.of("::ffff:127.0.0.1", 9090), b);
        assertEquals(Endpoint.of("::ffff:127.0.0.1", 9090).hashCode(), b.hashCode());
        assertNotEquals(a, b);
        assertSame(a, a.withPort(8080), "the same port is the same endpoint");
        assertTrue(b.isV4Mapped());
    }

    @Test
    void aCallerCannotChangeTheSharedAddress() {
        Endpoint a = Endpoint.of("10.1.2.3", 1);
        Endpoint b = a.withPort(2);
        byte[] copy = b.address();
        copy[0] = 99;
        assertEquals("10.1.2.3", a.addressText());
        assertEquals("10.1.2.3:2", b.toString());
    }

    @Test
    void anOutOfRangePortIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.of("10.1.2.3", 1).withPort(65536));
        assertTrue(e.getMessage().contains("65536") && e.getMessage().contains("0-65535"), e.getMessage());
    }
}
