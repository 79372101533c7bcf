package org.tcpjmx.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.testing.AuditLogCapture;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackFarmExtension;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * "The agent drops all connections but its own management connection, and every decision is in the
 * audit log": bulk drops refuse protected connections (as {@code tcpdrop -l -a | grep -vw 22 | sh}
 * spares sshd), {@code -l} does not list them, naming one explicitly still drops it, and each drop
 * and refusal is logged at INFO with its 4-tuple and outcome.
 */
@ExtendWith(LoopbackFarmExtension.class)
class ProtectingManagementConnectionsTest {
    private LoopbackConnections farm;
    private AuditLogCapture audit;

    @BeforeEach
    void listen(LoopbackConnections farm, AuditLogCapture audit) {
        this.farm = farm;
        this.audit = audit;
    }

    @Test
    void bulkDropsSpareProtectedConnectionsAndTheAuditLogSaysSo() {
        Pair management = farm.established(Flavor.IPV4);
        Pair victim = farm.established(Flavor.IPV6);
        TcpDropper dropper = new TcpDropper(farm.confined(), management::isEitherEnd);

        DropReport listed = dropper.dropAll(true);
        assertEquals(List.of("tcpdrop " + victim.clientTuple(), "tcpdrop " + victim.serverTuple()).stream().sorted().toList(),
                listed.commands().stream().sorted().toList(), "-l does not list protected connections");
        assertEquals(0, listed.failed());

        CommandRun all = CommandRun.run(dropper, "-a");

        assertEquals(0, all.status(), "protected connections are skipped, as listeners are, not failures: " + all);
        assertEquals(List.of("tcpdrop: " + management.clientTuple() + ": skipped: a protected management connection",
                        "tcpdrop: " + management.serverTuple() + ": skipped: a protected management connection").stream().sorted().toList(),
                all.err().lines().sorted().toList());
        assertTrue(all.out().equals(victim.clientTuple() + ": dropped\n") || all.out().equals(victim.serverTuple() + ": dropped\n"),
                "one end of the victim dropped, the other reset with it: " + all);
        assertEquals(2, farm.table().stream().filter(c -> management.isEitherEnd(c) && c.state() == TcpState.ESTABLISHED).count());
        assertTrue(farm.table().stream().noneMatch(victim::isEitherEnd));
        assertTrue(auditLine(management.clientTuple(), "REFUSED", "protected management connection"), audit.toString());
        assertTrue(auditLine(management.serverTuple(), "REFUSED", "protected management connection"), audit.toString());
        assertTrue(auditLine(victim.clientTuple(), "DROPPED", "dropped") || auditLine(victim.serverTuple(), "DROPPED", "dropped"));

        // Named explicitly, a protected connection is dropped: the caller asked for exactly that one.
        DropReport named = dropper.dropOne(management.clientArgs()[0], management.clientArgs()[1],
                management.clientArgs()[2], management.clientArgs()[3]);
        assertEquals(List.of(management.clientTuple() + ": dropped"), DroppingAnEstablishedConnectionTest.messages(named));
        assertTrue(auditLine(management.clientTuple(), "DROPPED", "dropped"), audit.toString());
    }

    @Test
    void aConnectionThatIsNotThereIsLoggedToo() {
        Pair p = farm.established(Flavor.IPV4);
        TcpDropper dropper = new TcpDropper(farm.confined());
        String port = Integer.toString(p.listenerPort());

        DropReport r = dropper.dropOne("127.0.0.1", port, "127.0.0.1", port);

        assertEquals(1, r.failed());
        assertTrue(auditLine("127.0.0.1 " + port + " 127.0.0.1 " + port, "NOT_FOUND", "no such connection"), audit.toString());
    }

    private boolean auditLine(String tuple, String status, String reason) {
        return audit.has(tuple, status, reason);
    }
}
