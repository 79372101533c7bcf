package org.tcpjmx.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** /proc/PID/status as the kernel writes it (fs/proc/array.c), text literal: who a process is, inside and out. */
class ProcPidStatusTest {
    @Test
    void aJvmInAContainerIsPidOneInsideAndRunsAsItsEffectiveUser() {
        String text = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t14882\nNgid:\t0\nPid:\t14882\nPPid:\t14880\n"
                + "TracerPid:\t0\nUid:\t1000\t65534\t65534\t65534\nGid:\t1001\t65533\t65533\t65533\nFDSize:\t256\n"
                + "NSpid:\t14882\t1\nNSpgid:\t14882\t1\n";
        ProcPidStatus s = ProcPidStatus.parse(text, 14882);
        assertEquals(new ProcPidStatus(1, 65534, 65533), s);
    }

    @Test
    void aKernelWithoutNSpidLeavesTheOuterPid() {
        ProcPidStatus s = ProcPidStatus.parse("Name:\tjava\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n", 42);
        assertEquals(new ProcPidStatus(42, 0, 0), s);
    }

    @Test
    void aStatusWithoutIdsOrWithGarbageIsRefusedNamingTheLine() {
        assertThrows(IllegalArgumentException.class, () -> ProcPidStatus.parse("Name:\tjava\nNSpid:\t7\n", 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcPidStatus.parse("Uid:\t0\tx\t0\t0\nGid:\t0\t0\t0\t0\n", 7));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void thisProcessReadsItselfAsItsOwnPidHere() throws Exception {
        long pid = ProcessHandle.current().pid();
        ProcPidStatus s = ProcPidStatus.read(java.nio.file.Paths.get("/proc", Long.toString(pid)), pid);
        // The tests do not run in a PID namespace below the one whose /proc is mounted.
        assertEquals(pid, s.innerPid());
    }
}
