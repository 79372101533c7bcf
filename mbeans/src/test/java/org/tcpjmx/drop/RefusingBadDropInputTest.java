package org.tcpjmx.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.testing.LoopbackConnections;
import org.tcpjmx.testing.LoopbackFarmExtension;
import org.tcpjmx.testing.LoopbackConnections.Flavor;
import org.tcpjmx.testing.LoopbackConnections.Pair;

/**
 * "An operator mistypes a drop": every bad argument is refused with a message that names it, the
 * command line exits 64 with its usage (1 for a name that does not resolve or a connection that
 * does not exist), and the table is exactly as it was.
 */
@ExtendWith(LoopbackFarmExtension.class)
class RefusingBadDropInputTest {
    private static TcpPlatform platform;
    private static LoopbackConnections farm;
    private static TcpDropper dropper;
    private static Pair established;
    private static Pair closeWait;
    private static Pair timeWait;
    private List<String> before;

    @BeforeAll
    static void connections(TcpPlatform netlink, LoopbackConnections classFarm, TcpDropper confined) {
        platform = netlink;
        farm = classFarm;
        dropper = confined;
        established = farm.established(Flavor.IPV4);
        closeWait = farm.closeWait(Flavor.IPV6);
        timeWait = farm.timeWait(Flavor.V4_MAPPED);
    }

    @BeforeEach
    void snapshot() {
        before = farm.snapshot();
        assertEquals(5, before.size(), "ESTABLISHED x2, CLOSE_WAIT, FIN_WAIT_2, TIME_WAIT: " + before);
    }

    @AfterEach
    void tableUnchanged() {
        assertEquals(before, farm.snapshot(), "bad input changes nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "65536", "x", "99999999999999999999", "8o"})
    void aBadPortIsNamed(String port) {
        String[] t = established.clientArgs();
        refused(() -> dropper.dropOne(t[0], port, t[2], t[3]), "'" + port + "'", "local port");
        refused(() -> dropper.dropOne(t[0], t[1], t[2], port), "'" + port + "'", "foreign port");
        usageError(CommandRun.run(dropper, t[0], t[1], t[2], port), "'" + port + "'");
        usageError(CommandRun.run(dropper, t[0] + ":" + port, t[2] + ":" + t[3]), "'" + port + "'");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" "})
    void aMissingArgumentIsNamed(String missing) {
        String[] t = established.clientArgs();
        refused(() -> dropper.dropOne(missing, t[1], t[2], t[3]), "missing local address");
        refused(() -> dropper.dropOne(t[0], missing, t[2], t[3]), "missing local port");
        refused(() -> dropper.dropOne(t[0], t[1], missing, t[3]), "missing foreign address");
        refused(() -> dropper.dropOne(t[0], t[1], t[2], missing), "missing foreign port");
        refused(() -> dropper.dropSpec(missing), "missing connection");
        refused(() -> dropper.dropStack(missing, false), "missing stack");
        usageError(CommandRun.run(dropper, t[0], t[1], t[2], missing == null ? "" : missing), "missing foreign port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"999.1.1.1", "1.2.3", "1.2.3.4.5", "::ffff:999.1.1.1", "[::1", "not a host", "-x"})
    void aMalformedAddressIsNamed(String address) {
        String[] t = established.clientArgs();
        refused(() -> dropper.dropOne(address, t[1], t[2], t[3]), address);
        refused(() -> dropper.dropOne(t[0], t[1], address, t[3]), address);
        usageError(CommandRun.run(dropper, "--", t[0], t[1], address, t[3]), address);
    }

    @Test
    void aNameThatDoesNotResolveIsAnErrorWithoutAHang() {
        String[] t = established.clientArgs();
        AddressResolutionException e = assertThrows(AddressResolutionException.class,
                () -> dropper.dropOne("no-such-host.invalid", t[1], t[2], t[3]));
        assertTrue(e.getMessage().contains("'no-such-host.invalid'"), e.getMessage());
        CommandRun r = CommandRun.run(dropper, t[0], t[1], "no-such-host.invalid", t[3]);
        assertEquals(1, r.status(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("tcpdrop: cannot resolve foreign address 'no-such-host.invalid'") && !r.err().contains("usage"),
                r.toString());
    }

    @Test
    void addressesOfDifferentFamiliesNameNoConnection() {
        refused(() -> dropper.dropOne("127.0.0.1", "1234", "::1", "80"), "'127.0.0.1'", "'::1'", "same family");
    }

    @Test
    void aTupleThatMatchesNothingIsNotFound() {
        // The established client's addresses and port, with the CLOSE_WAIT connection's listener port.
        String[] t = established.clientArgs();
        String other = Integer.toString(closeWait.listenerPort());
        DropReport r = dropper.dropOne(t[0], t[1], t[2], other);
        assertEquals(0, r.matched());
        assertEquals(0, r.dropped());
        assertEquals(1, r.failed());
        String expected = t[0] + " " + t[1] + " " + t[2] + " " + other + ": no such connection";
        assertEquals(List.of(expected), r.errors());
        assertEquals(DropStatus.NOT_FOUND, r.outcomes().get(0).status());
        assertEquals(new CommandRun(1, "", "tcpdrop: " + expected + "\n"), CommandRun.run(dropper, t[0], t[1], t[2], other));
    }

    @Test
    void listeningAndClosedAreNoStatesToDrop() {
        refused(() -> dropper.dropState(TcpState.LISTEN, false), "LISTEN", "ESTABLISHED", "TIME_WAIT");
        refused(() -> dropper.dropState(TcpState.CLOSED, true), "CLOSED");
        refused(() -> dropper.dropState(null, false), "null");
        refused(() -> dropper.dropStackState("bbr", TcpState.LISTEN, false), "LISTEN");
        usageError(CommandRun.run(dropper, "-s", "LISTEN"), "-s LISTEN: listening sockets are never dropped");
        usageError(CommandRun.run(dropper, "-l", "-s", "listen"), "listening sockets are never dropped");
        usageError(CommandRun.run(dropper, "-sCLOSED"), "-s CLOSED");
        usageError(CommandRun.run(dropper, "-s", "ESTABLISHED", "-S", "bbr", "-s", "CLOSED"), "CLOSED");
    }

    @Test
    void anUnknownStateListsTheValidOnes() {
        usageError(CommandRun.run(dropper, "-s", "HALF_OPEN"),
                "-s 'HALF_OPEN': unknown state; the state is one of SYN_SENT, SYN_RCVD, ESTABLISHED, CLOSE_WAIT, "
                        + "FIN_WAIT_1, CLOSING, LAST_ACK, FIN_WAIT_2, TIME_WAIT");
        refused(() -> dropper.dropStack("no;such", false), "'no;such'");
    }

    @Test
    void optionsThatDoNotGoTogetherAreUsageErrors() {
        String[] t = established.clientArgs();
        usageError(CommandRun.run(dropper, "-l", t[0], t[1], t[2], t[3]), "-l lists what -a, -s, -S or -C select");
        usageError(CommandRun.run(dropper, "-l", t[0] + ":" + t[1], t[2] + ":" + t[3]), "-l lists");
        usageError(CommandRun.run(dropper, "-a", t[0], t[1], t[2], t[3]), "take no connection arguments");
        usageError(CommandRun.run(dropper, "-s", "TIME_WAIT", t[0], t[1], t[2], t[3]), "take no connection arguments");
        usageError(CommandRun.run(dropper), "missing arguments");
        usageError(CommandRun.run(dropper, "-l"), "-l lists");
        usageError(CommandRun.run(dropper, "-s"), "option -s needs an argument");
        usageError(CommandRun.run(dropper, "-S"), "option -S needs an argument");
        usageError(CommandRun.run(dropper, "-x"), "unknown option -x");
        usageError(CommandRun.run(dropper, t[0], t[1], t[2]), "expected 4 arguments");
        usageError(CommandRun.run(dropper, t[0], t[1], t[2], t[3], "5"), "got 5");
        usageError(CommandRun.run(dropper, t[0] + ":" + t[1], "localhost"), "foreign 'localhost' has no port");
        usageError(CommandRun.run(dropper, "-a", null), "argument 2 is null");
    }

    @Test
    void malformedSpecsAreNamed() {
        refused(() -> dropper.dropSpec("127.0.0.1 80 127.0.0.1"), "not 3");
        refused(() -> dropper.dropSpec("localhost 127.0.0.1:80"), "'localhost' has no port");
        refused(() -> dropper.dropSpec("[::1] [::1]:80"), "'[::1]'");
        refused(() -> dropper.dropSpec("[::1]:x [::1]:80"), "'x'");
    }

    @Test
    void helpIsNoError() {
        CommandRun r = CommandRun.run(dropper, "-h");
        assertEquals(0, r.status());
        assertEquals(TcpdropCommand.usage(), r.out());
        assertTrue(r.out().contains("64 usage error"), "the usage documents the exit status");
    }

    private static void refused(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should name " + f);
        }
    }

    private static void usageError(CommandRun r, String fragment) {
        assertEquals(TcpdropCommand.EX_USAGE, r.status(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertTrue(r.err().startsWith("tcpdrop: ") && r.err().contains(fragment), "stderr should name " + fragment + ": " + r);
        assertTrue(r.err().endsWith(TcpdropCommand.usage()), "and print the usage: " + r);
    }
}
