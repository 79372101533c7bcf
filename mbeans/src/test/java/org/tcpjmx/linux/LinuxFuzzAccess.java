package org.tcpjmx.linux;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.tcpjmx.linux.ProcFdScanner.InodeSet;
import org.tcpjmx.model.IpFamily;

/** Lets the fuzz tests reach the package-private parsing entry points. */
public final class LinuxFuzzAccess {
    public static final int SEQ = 7;

    private LinuxFuzzAccess() {
    }

    /** Parses a datagram into rows the way a dump does; returns the number of rows. */
    public static int parseDatagram(ByteBuffer datagram) {
        int[] n = {0};
        new SockDiagParser().parse(datagram, SEQ, m -> {
            LinuxTcpPlatform.toRow(m, InodeSet.EMPTY);
            if (m.hasInfo()) {
                m.info();
            }
            n[0]++;
        });
        return n[0];
    }

    public static void parseProcLine(IpFamily family, String line, Path file) {
        ProcNetTcpReader.parseLine(family, line, LinuxConstants.ALL_STATES_MASK, file, 1);
    }
}
