package org.tcpjmx.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.model.Tunable;
import org.tcpjmx.model.Tunable.Kind;
import org.tcpjmx.model.TunableValue;

/**
 * Reads, never writes, the Linux sysctls that stand for the MIB variables tcp(4) documents under
 * {@code net.inet.tcp}. The mapping is {@link #tunables()}; {@code src/docs/tunables.md} holds the
 * same table for people (a test keeps the two equal) and lists the variables with no Linux
 * counterpart.
 *
 * <p>Values are shown as Linux keeps them, in Linux's units: {@code tcp_keepalive_time} is in
 * seconds where FreeBSD's {@code keepidle} is in milliseconds; each entry names its unit.
 */
public final class TcpSysctlReader {
    private static final Logger LOG = LoggerFactory.getLogger(TcpSysctlReader.class);
    private static final String PROC_SYS = Tunable.PROC_SYS;
    private static final String IPV4 = PROC_SYS + "net/ipv4/";
    /** Larger than any of the mapped sysctls (the longest, the congestion-control list, is ~100 bytes). */
    private static final int MAX_VALUE_BYTES = 4096;

    private static final List<Tunable> TUNABLES = List.of(
            number("KeepIdle", "keepidle", "tcp_keepalive_time", "seconds",
                    "Idle time before the first keepalive probe on a socket with SO_KEEPALIVE. FreeBSD counts milliseconds."),
            number("KeepInterval", "keepintvl", "tcp_keepalive_intvl", "seconds",
                    "Time between unanswered keepalive probes (FreeBSD counts milliseconds)."),
            number("KeepCount", "keepcnt", "tcp_keepalive_probes", "probes",
                    "Unanswered keepalive probes before the connection is dropped."),
            number("KeepInit", "keepinit", "tcp_syn_retries", "retransmissions",
                    "Linux bounds connection setup by SYN retransmissions, not by a timeout. 6 retries give up after about 127 s."),
            number("FinWait2Timeout", "finwait2_timeout", "tcp_fin_timeout", "seconds",
                    "How long an orphaned connection (no process holds it) stays in FIN_WAIT_2. Linux always recycles orphans this way, as fast_finwait2_recycle does."),
            number("SynCookies", "syncookies", "tcp_syncookies", "mode",
                    "0 never send SYN cookies, 1 when the SYN backlog overflows, 2 always (as syncookies_only)."),
            number("SynCacheLimit", "syncache", "tcp_max_syn_backlog", "requests",
                    "Connection requests (SYN_RCVD) remembered per listener before SYN cookies or drops. syncache(4) sizes the FreeBSD cache."),
            number("SackEnable", "sack.enable", "tcp_sack", "boolean",
                    "Selective acknowledgements (RFC 2018)."),
            number("EcnEnable", "ecn.enable", "tcp_ecn", "mode",
                    "ECN: 0 off; 1 request it on outgoing and accept it on incoming connections; 2 accept it only. 2 is the default, as FreeBSD's 2; higher values select Accurate ECN on kernels that have it."),
            number("Rfc1323Timestamps", "rfc1323", "tcp_timestamps", "mode",
                    "RFC 7323 timestamps: 0 off, 1 on with a random offset per connection, 2 on without offsets. 1 is FreeBSD's ts_offset_per_conn."),
            number("Rfc1323WindowScaling", "rfc1323", "tcp_window_scaling", "boolean",
                    "RFC 7323 window scaling; FreeBSD switches both options with the one variable."),
            field("SendSpace", "sendspace", "tcp_wmem", 2, "bytes",
                    "Initial send buffer of a TCP socket: the middle (default) value of tcp_wmem."),
            field("SendBufMax", "sendbuf_max", "tcp_wmem", 3, "bytes",
                    "Largest send buffer automatic sizing may reach: the last value of tcp_wmem."),
            field("RecvSpace", "recvspace", "tcp_rmem", 2, "bytes",
                    "Initial receive buffer of a TCP socket: the middle (default) value of tcp_rmem."),
            field("RecvBufMax", "recvbuf_max", "tcp_rmem", 3, "bytes",
                    "Largest receive buffer automatic sizing may reach: the last value of tcp_rmem."),
            number("RecvBufAuto", "recvbuf_auto", "tcp_moderate_rcvbuf", "boolean",
                    "Automatic receive buffer sizing; Linux always sizes send buffers automatically."),
            text("CongestionControl", "cc.algorithm", "tcp_congestion_control", "name",
                    "Congestion control of new connections (mod_cc(4) on FreeBSD)."),
            text("CongestionControlAvailable", "cc.available", "tcp_available_congestion_control", "names",
                    "Congestion-control modules loaded in the kernel."),
            text("StackDefault", "functions_default", "tcp_congestion_control", "name",
                    "The default TCP stack. On Linux tcpjmx calls the congestion-control module the stack (filter 'stack NAME', tcpdrop -S)."),
            text("StackAvailable", "functions_available", "tcp_available_congestion_control", "names",
                    "The TCP stacks available; on Linux the congestion-control modules loaded."),
            number("TimeWaitReuse", "nolocaltimewait", "tcp_tw_reuse", "mode",
                    "Whether new outgoing connections may reuse a TIME_WAIT 4-tuple when timestamps make it safe. 0 off, 1 on, 2 only over loopback (default); FreeBSD instead skips TIME_WAIT for local connections."),
            number("MaxTcpTw", "maxtcptw", "tcp_max_tw_buckets", "sockets",
                    "Most TIME_WAIT sockets held at once. Beyond it the kernel closes them at once and counts TcpExtTCPTimeWaitOverflow."),
            number("MinMss", "minmss", "tcp_min_snd_mss", "bytes",
                    "Smallest MSS a peer may make this host send, against denial of service by tiny segments."),
            number("PmtudBlackholeDetection", "pmtud_blackhole_detection", "tcp_mtu_probing", "mode",
                    "Packetization-layer path MTU discovery: 0 off, 1 after an ICMP black hole is detected, 2 always."),
            number("PmtudBlackholeMss", "pmtud_blackhole_mss", "tcp_base_mss", "bytes",
                    "The MSS MTU probing starts from when a black hole is suspected."),
            new Tunable("PathMtuDiscovery", "path_mtu_discovery", IPV4 + "ip_no_pmtu_disc", 0, Kind.NUMBER, "mode",
                    "Inverted: 0 means path MTU discovery is on; 1 and above turn it off in different ways."),
            number("Retries", "retries", "tcp_retries2", "retransmissions",
                    "Retransmissions of unacknowledged data before an established connection is dropped."),
            number("RexmitMin", "rexmit_min", "tcp_rto_min_us", "microseconds",
                    "Lower bound of the retransmission timeout for new connections (Linux 6.11 and later)."),
            number("AckWarCount", "ack_war_cnt", "tcp_challenge_ack_limit", "ACKs per second",
                    "Challenge ACKs (RFC 5961) sent per second; Linux's window is fixed at one second."),
            number("FastOpen", "fastopen.client_enable, fastopen.server_enable", "tcp_fastopen", "bit mask",
                    "TCP Fast Open: bit 1 client, bit 2 server, higher bits relax cookie checks (fastopen.acceptany)."),
            number("FastOpenPathDisableTime", "fastopen.path_disable_time", "tcp_fastopen_blackhole_timeout_sec", "seconds",
                    "How long Fast Open stays off after a middlebox black hole was detected."),
            number("HostCacheEnable", "hostcache.enable", "tcp_no_metrics_save", "boolean",
                    "Inverted: 0 means Linux keeps per-destination metrics of closed connections. So does the FreeBSD host cache."),
            number("TcbHashSize", "tcbhashsize", "tcp_ehash_entries", "buckets",
                    "Size of the established-socket hash table. Negative when this network namespace shares the initial one's."));

    private final Path procSys;

    /** Reads this process's view of {@code /proc/sys}. */
    public TcpSysctlReader() {
        this(Paths.get(PROC_SYS));
    }

    /** Reads the files under another directory standing for {@code /proc/sys} (tests use copies). */
    public TcpSysctlReader(Path procSys) {
        this.procSys = procSys;
    }

    /** The mapping from tcp(4) variables to Linux files, in the order the docs list it. */
    public static List<Tunable> tunables() {
        return TUNABLES;
    }

    /**
     * Reads one tunable.
     *
     * @return empty when this kernel has no such file or this process may not read it
     * @throws IllegalStateException when the file has fewer fields than the tunable needs
     * @throws UncheckedIOException when the file exists but reading it fails otherwise
     */
    public Optional<TunableValue> read(Tunable t) {
        Path file = procSys.resolve(t.linuxPath().substring(PROC_SYS.length()));
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            // One read: integer sysctls answer a read at a non-zero offset with end of file, so a
            // reader that fetches a first byte and then the rest would see "4" for "4096 ...".
            text = new String(in.readNBytes(MAX_VALUE_BYTES), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            LOG.debug("{} is not readable by this process; {} is left out", file, t.attribute());
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        String[] fields = text.isEmpty() ? new String[0] : text.split("\\s+");
        if (t.field() == 0) {
            return Optional.of(new TunableValue(t, String.join(" ", fields)));
        }
        if (fields.length < t.field()) {
            throw new IllegalStateException(file + " holds " + fields.length + " fields ('" + text + "'); "
                    + t.attribute() + " needs field " + t.field());
        }
        return Optional.of(new TunableValue(t, fields[t.field() - 1]));
    }

    /** Every tunable this kernel has, in {@link #tunables()} order; missing files are left out. */
    public List<TunableValue> readAll() {
        List<TunableValue> out = new ArrayList<>();
        for (Tunable t : TUNABLES) {
            read(t).ifPresent(out::add);
        }
        return out;
    }

    private static Tunable number(String attribute, String freebsd, String ipv4File, String unit, String description) {
        return new Tunable(attribute, freebsd, IPV4 + ipv4File, 0, Kind.NUMBER, unit, description);
    }

    private static Tunable field(String attribute, String freebsd, String ipv4File, int field, String unit, String description) {
        return new Tunable(attribute, freebsd, IPV4 + ipv4File, field, Kind.NUMBER, unit, description);
    }

    private static Tunable text(String attribute, String freebsd, String ipv4File, String unit, String description) {
        return new Tunable(attribute, freebsd, IPV4 + ipv4File, 0, Kind.TEXT, unit, description);
    }
}
