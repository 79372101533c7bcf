package org.tcpjmx.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.tcpjmx.model.DestroyResult;
import org.tcpjmx.model.DestroyResult.Kind;
import org.tcpjmx.model.PlatformCapabilities;
import org.tcpjmx.platform.TcpPlatforms;

class HostCapabilityReaderTest {

    @Test
    void capNetAdminIsBit12OfTheEffectiveSet() {
        assertTrue(HostCapabilityReader.capNetAdmin("Name:\tjava\nCapInh:\t0\nCapEff:\t000001fffeffffff\n"));
        assertTrue(HostCapabilityReader.capNetAdmin("CapEff:\t0000000000001000\n"));
        assertFalse(HostCapabilityReader.capNetAdmin("CapEff:\t0000000000000fff\n"));
        assertFalse(HostCapabilityReader.capNetAdmin("CapPrm:\t0000000000001000\nCapEff:\t0000000000000000\n"));
        assertFalse(HostCapabilityReader.capNetAdmin(""));
        assertFalse(HostCapabilityReader.capNetAdmin("CapEff:\tnot-hex\n"));
    }
    @Test
    void thePlatformReportsThisProcesssCapabilitiesAsProcSelfStatusShowsThem() throws Exception {
        String status = Files.readString(Paths.get("/proc/self/status"));
        PlatformCapabilities caps = TcpPlatforms.open().capabilities();
        assertEquals(HostCapabilityReader.capNetAdmin(status), caps.capNetAdmin());
        assertEquals(System.getProperty("os.version"), caps.kernelRelease());
    }

    @Test
    void sockDestroyErrnosBecomeTypedResults() {
        assertEquals(DestroyResult.DESTROYED, LinuxTcpPlatform.destroyResult(0));
        assertEquals(new DestroyResult(Kind.GONE, "ENOENT"), LinuxTcpPlatform.destroyResult(2));
        assertEquals(new DestroyResult(Kind.NOT_PERMITTED, "EPERM"), LinuxTcpPlatform.destroyResult(1));
        assertEquals(new DestroyResult(Kind.NOT_PERMITTED, "EACCES"), LinuxTcpPlatform.destroyResult(13));
        assertEquals(new DestroyResult(Kind.UNSUPPORTED_BY_KERNEL, "EOPNOTSUPP"), LinuxTcpPlatform.destroyResult(95));
        assertEquals(new DestroyResult(Kind.REFUSED_FOR_STATE, "EINVAL"), LinuxTcpPlatform.destroyResult(22));
        assertEquals(new DestroyResult(Kind.FAILED, "EBUSY"), LinuxTcpPlatform.destroyResult(16));
        assertFalse(LinuxTcpPlatform.destroyResult(16).destroyed());
        assertTrue(LinuxTcpPlatform.destroyResult(0).destroyed());
    }
}
