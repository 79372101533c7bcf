package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.Backend;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

class HostCapabilitiesTest {

    @Test
    void timeWaitNeedsLinux6() {
        assertTrue(HostCapabilities.atLeast("6.18.44-fc-v595", 6, 0));
        assertTrue(HostCapabilities.atLeast("6.0.0", 6, 0));
        assertFalse(HostCapabilities.atLeast("5.15.0-91-generic", 6, 0));
        assertFalse(HostCapabilities.atLeast("weird", 6, 0));
        assertTrue(HostCapabilities.of(Backend.NETLINK, true, "6.1.0", Optional.of(true)).canDropTimeWait());
        assertFalse(HostCapabilities.of(Backend.NETLINK, true, "5.10.0", Optional.of(true)).canDropTimeWait());
    }

    @Test
    void othersSocketsNeedNetlinkTheCapabilityAndDestroySupport() {
        assertTrue(HostCapabilities.of(Backend.NETLINK, true, "6.1.0", Optional.empty()).canDropOthers());
        assertFalse(HostCapabilities.of(Backend.PROCFS, true, "6.1.0", Optional.of(true)).canDropOthers());
        assertFalse(HostCapabilities.of(Backend.NETLINK, false, "6.1.0", Optional.of(true)).canDropOthers());
        HostCapabilities noDestroy = HostCapabilities.of(Backend.NETLINK, true, "6.1.0", Optional.of(false));
        assertFalse(noDestroy.canDropOthers());
        assertFalse(noDestroy.canDropTimeWait());
        assertTrue(noDestroy.detail().stream().anyMatch(d -> d.contains("without CONFIG_INET_DIAG_DESTROY")), noDestroy.detail().toString());
    }

    @Test
    void probingThisHostAgreesWithWhatThePlatformSays() {
        TcpPlatform platform = TcpPlatforms.open();
        HostCapabilities caps = HostCapabilities.probe(platform);
        assertEquals(platform.capabilities().capNetAdmin(), caps.capNetAdmin());
        assertEquals(System.getProperty("os.version"), caps.kernelRelease());
        assertFalse(caps.detail().isEmpty());
    }
}
