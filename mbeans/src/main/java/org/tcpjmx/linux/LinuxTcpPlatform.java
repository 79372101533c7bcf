package org.tcpjmx.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.linux.ProcFdScanner.InodeSet;
import org.tcpjmx.model.Backend;
import org.tcpjmx.model.DestroyResult;
import org.tcpjmx.model.DestroyResult.Kind;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.PlatformCapabilities;
import org.tcpjmx.model.SocketOwner;
import org.tcpjmx.model.SocketTimer;
import org.tcpjmx.model.StateHistogram;
import org.tcpjmx.model.TcpConnection;
import org.tcpjmx.model.TcpSocketCounters;
import org.tcpjmx.model.TcpState;
import org.tcpjmx.platform.SocketTally;
import org.tcpjmx.model.Tunable;
import org.tcpjmx.model.TunableValue;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatformException;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * The Linux TCP table: netlink sock_diag, or /proc/net/tcp* when netlink is unavailable. Kernel
 * filtering is used where the filter allows ({@link InetDiagBytecode}); the rest is evaluated here,
 * so callers always get exactly the filter's matches. Netlink failures leave as
 * {@link TcpPlatformException}, errnos as {@link DestroyResult}s: nothing above this class reads a
 * Linux errno.
 */
public final class LinuxTcpPlatform implements TcpPlatform {
    private static final IpFamily[] FAMILIES = {IpFamily.INET4, IpFamily.INET6};
    /** Linux state number to TcpState ordinal, -1 where undefined. */
    private static final int[] ORDINAL_BY_LINUX = new int[16];
    private static final TcpState[] STATES = TcpState.values();

    static {
        java.util.Arrays.fill(ORDINAL_BY_LINUX, -1);
        for (int i = 0; i < ORDINAL_BY_LINUX.length; i++) {
            if (TcpState.isLinuxState(i)) {
                ORDINAL_BY_LINUX[i] = TcpState.fromLinux(i).ordinal();
            }
        }
    }

    private final Backend backend;
    private final String detail;
    private final SockDiagReader netlink = new SockDiagReader();
    private final ProcNetTcpReader procfs = new ProcNetTcpReader();
    private final ProcFdScanner fds = new ProcFdScanner();
    private final ProcNetSockstatReader sockstat = new ProcNetSockstatReader();
    private final AtomicLong walks = new AtomicLong();
    private final ProcNetSnmpReader counters = new ProcNetSnmpReader();
    private final TcpSysctlReader sysctls = new TcpSysctlReader();
    /** Cleared when the kernel refused DEV_COND/MARK_COND/CGROUP_COND bytecode (older than 4.14/5.9). */
    private volatile boolean newOps = true;

    public LinuxTcpPlatform(Backend backend, String detail) {
        this.backend = backend;
        this.detail = detail;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public String backendDetail() {
        return detail;
    }

    @Override
    public void forEach(Filter filter, boolean withInfo, Consumer<TcpConnection> sink) {
        kernel(() -> {
            walk(filter, withInfo, sink);
            return null;
        });
    }

    private void walk(Filter filter, boolean withInfo, Consumer<TcpConnection> sink) {
        requireKnowable(filter);
        InetDiagBytecode.Plan plan = plan(filter);
        InodeSet own = fds.selfSocketInodes();
        boolean evaluate = !plan.exact();
        countWalk(plan.stateMask());
        if (backend == Backend.PROCFS) {
            for (IpFamily f : FAMILIES) {
                procfs.read(f, plan.stateMask(), c -> {
                    TcpConnection row = c.withOwned(own.contains(c.inode()));
                    if (filter.test(row)) {
                        sink.accept(row);
                    }
                });
            }
            return;
        }
        int ext = (withInfo ? SockDiagReader.EXT_INFO_AND_CONG | SockDiagReader.EXT_MEMORY_AND_TOS : SockDiagReader.EXT_CONG_ONLY);
        dump(filter, plan, ext, p -> rows(filter, p, own, sink));
    }

    /** A visitor that hands the plan's rows to the sink, evaluating in Java what the kernel did not. */
    private SockDiagParser.Visitor rows(Filter filter, InetDiagBytecode.Plan plan, InodeSet own, Consumer<TcpConnection> sink) {
        boolean evaluate = !plan.exact();
        java.util.Set<Long> autobound = evaluate && filter.uses(x -> x instanceof Filter.Autobound)
                ? kernelAutobound(plan.stateMask()) : null;
        int[] range = autobound == null ? null : ephemeralRange();
        return m -> {
            TcpConnection row = toRow(m, own);
            if (autobound != null) {
                int port = row.local().port();
                row = row.withExtras(row.extras().withAutobound(autobound.contains(row.cookie())
                        && port >= range[0] && port <= range[1]));
            }
            if (!evaluate || filter.test(row)) {
                sink.accept(row);
            }
        };
    }

    @Override
    public StateHistogram histogram(Filter filter) {
        return kernel(() -> count(filter));
    }

    private StateHistogram count(Filter filter) {
        requireKnowable(filter);
        InetDiagBytecode.Plan plan = plan(filter);
        long[] counts = new long[TcpState.values().length];
        if (backend == Backend.NETLINK && plan.exact()) {
            countWalk(plan.stateMask());
            dump(filter, plan, SockDiagReader.EXT_NONE, p -> !p.exact()
                    ? rows(filter, p, fds.selfSocketInodes(), c -> counts[c.state().ordinal()]++)
                    : m -> {
                        int s = m.state();
                        int ordinal = s < ORDINAL_BY_LINUX.length ? ORDINAL_BY_LINUX[s] : -1;
                        if (ordinal < 0) {
                            throw new MalformedNetlinkException("socket with unknown state " + s);
                        }
                        counts[ordinal]++;
                    });
        } else {
            walk(filter, false, c -> counts[c.state().ordinal()]++);
        }
        return StateHistogram.of(counts);
    }

    private InetDiagBytecode.Plan plan(Filter filter) {
        boolean auto = filter.uses(x -> x instanceof Filter.Autobound);
        int[] range = auto ? ephemeralRange() : new int[] {32768, 60999};
        return InetDiagBytecode.plan(filter, new InetDiagBytecode.Options(newOps, range[0], range[1]));
    }

    /**
     * One dump of both families. A kernel older than the ops the plan used (DEV_COND, MARK_COND:
     * 4.14; CGROUP_COND: 5.9) refuses the bytecode with EINVAL before sending any socket: the plan
     * is then made again without those ops, which Java evaluates instead, from then on.
     */
    private void dump(Filter filter, InetDiagBytecode.Plan plan, int ext,
                      java.util.function.Function<InetDiagBytecode.Plan, SockDiagParser.Visitor> visitor) {
        try {
            netlink.dumpBothFamilies(plan.stateMask(), ext, plan.bytecode(), visitor.apply(plan));
        } catch (NetlinkException e) {
            if (e.errno() == Errno.EINVAL && newOps && InetDiagBytecode.usesNewOps(filter)) {
                newOps = false;
                InetDiagBytecode.Plan older = plan(filter);
                netlink.dumpBothFamilies(older.stateMask(), ext, older.bytecode(), visitor.apply(older));
                return;
            }
            throw e;
        }
    }

    /**
     * Refuses a filter whose conditions this backend cannot know: on /proc there is no interface,
     * mark, cgroup or autobound; a mark needs CAP_NET_ADMIN (the kernel reports and filters marks
     * only for a process that has it, and would otherwise compare every socket with mark 0).
     */
    private void requireKnowable(Filter filter) {
        boolean dev = filter.uses(x -> x instanceof Filter.Dev);
        boolean mark = filter.uses(x -> x instanceof Filter.Mark);
        boolean cgroup = filter.uses(x -> x instanceof Filter.Cgroup);
        boolean auto = filter.uses(x -> x instanceof Filter.Autobound);
        if (backend == Backend.PROCFS && (dev || mark || cgroup || auto)) {
            throw new IllegalArgumentException("filter conditions dev, fwmark, cgroup and autobound need the netlink"
                    + " backend; this one reads /proc/net/tcp, which does not show them (" + detail + ")");
        }
        if (mark) {
            try {
                netlink.dump(IpFamily.INET4, 0, SockDiagReader.EXT_NONE, InetDiagBytecode.markProbe(), m -> { });
            } catch (NetlinkException e) {
                if (e.errno() == Errno.EPERM) {
                    throw new IllegalArgumentException("fwmark needs CAP_NET_ADMIN: the kernel filters and reports socket"
                            + " marks only for a process that has it, and this one does not");
                }
                if (e.errno() != Errno.EINVAL) {
                    throw e;
                }
            }
        }
    }

    /** Cookies of the sockets the kernel's AUTO op passes (local port not bound by the user). */
    private java.util.Set<Long> kernelAutobound(int stateMask) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        netlink.dumpBothFamilies(stateMask, SockDiagReader.EXT_NONE, InetDiagBytecode.kernelAutobound(), m -> out.add(m.cookie()));
        return out;
    }

    /** ip_local_port_range, as ss reads it for autobound; Linux's default when unreadable. */
    static int[] ephemeralRange() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim().split("\\s+");
            return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
        } catch (java.io.IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }

    @Override
    public void tally(Filter filter, boolean withOwned, SocketTally tally) {
        InetDiagBytecode.Plan plan = plan(filter);
        if (backend != Backend.NETLINK || !plan.exact()) {
            TcpPlatform.super.tally(filter, withOwned, tally);
            return;
        }
        requireKnowable(filter);
        InodeSet own = withOwned ? fds.selfSocketInodes() : InodeSet.EMPTY;
        countWalk(plan.stateMask());
        // No extension: the smallest messages the kernel sends, and only three fields read from each.
        kernel(() -> {
            dump(filter, plan, SockDiagReader.EXT_NONE, p -> !p.exact()
                    ? rows(filter, p, own, c -> tally.add(c.state(), c.local().port(), c.owned()))
                    : m -> {
                        int s = m.state();
                        int ordinal = s < ORDINAL_BY_LINUX.length ? ORDINAL_BY_LINUX[s] : -1;
                        if (ordinal < 0) {
                            throw new MalformedNetlinkException("socket with unknown state " + s);
                        }
                        tally.add(STATES[ordinal], m.sport(), own.contains(m.inode()));
                    });
            return null;
        });
    }

    @Override
    public Optional<TcpSocketCounters> socketCounters() {
        return sockstat.read();
    }

    @Override
    public long tableWalks() {
        return walks.get();
    }

    /** A dump walks the connection table unless it asks for listeners only (the kernel then skips its ehash). */
    private void countWalk(int stateMask) {
        if (backend == Backend.PROCFS || (stateMask & ~(1 << TcpState.LISTEN.linuxNumber())) != 0) {
            walks.incrementAndGet();
        }
    }

    @Override
    public Optional<TcpConnection> lookup(TcpConnection c) {
        return kernel(() -> find(c));
    }

    private Optional<TcpConnection> find(TcpConnection c) {
        if (backend == Backend.PROCFS || !c.hasCookie()) {
            TcpConnection[] found = {null};
            Filter same = fourTuple(c);
            countWalk(LinuxConstants.ALL_STATES_MASK);
            procfs.read(c.family(), LinuxConstants.ALL_STATES_MASK, row -> {
                if (found[0] == null && same.test(row)) {
                    found[0] = row;
                }
            });
            InodeSet own = fds.selfSocketInodes();
            return Optional.ofNullable(found[0]).map(r -> r.withOwned(own.contains(r.inode())));
        }
        TcpConnection[] found = {null};
        boolean seen = netlink.lookup(c.family(), c.local().address(), c.local().port(), c.remote().address(),
                c.remote().port(), c.ifindex(), c.cookie(), SockDiagReader.EXT_CONG_ONLY, m -> found[0] = toRow(m, InodeSet.EMPTY));
        if (!seen) {
            return Optional.empty();
        }
        TcpConnection fresh = found[0];
        // Whether this JVM holds a descriptor on a socket changes only when it opens or closes one, and
        // the caller's row, read moments ago, already says. Rescanning /proc/self/fd costs a readlink
        // per descriptor on every lookup (src/docs/benchmark.md), and a bulk drop looks every
        // connection up twice.
        boolean owned = fresh.inode() > 0
                && (fresh.inode() == c.inode() ? c.owned() : fds.selfSocketInodes().contains(fresh.inode()));
        return Optional.of(fresh.withOwned(owned));
    }

    @Override
    public DestroyResult destroy(TcpConnection c) {
        if (backend == Backend.PROCFS || !c.hasCookie()) {
            // Without the cookie the kernel would match by 4-tuple and may fall back to the listener.
            return DestroyResult.of(Kind.NO_EXACT_ID, "no socket cookie");
        }
        int rc = kernel(() -> netlink.destroy(c.family(), c.local().address(), c.local().port(), c.remote().address(),
                c.remote().port(), c.ifindex(), c.cookie()));
        return destroyResult(rc);
    }

    /** SOCK_DESTROY's answer (0 or an errno) in the model's terms. */
    public static DestroyResult destroyResult(int rc) {
        switch (rc) {
            case 0: return DestroyResult.DESTROYED;
            case Errno.ENOENT: return DestroyResult.of(Kind.GONE, Errno.name(rc));
            case Errno.EPERM:
            case Errno.EACCES: return DestroyResult.of(Kind.NOT_PERMITTED, Errno.name(rc));
            case Errno.EOPNOTSUPP: return DestroyResult.of(Kind.UNSUPPORTED_BY_KERNEL, Errno.name(rc));
            // Before Linux 6.0 SOCK_DESTROY answers EINVAL for TIME_WAIT (and other states it cannot handle).
            case Errno.EINVAL: return DestroyResult.of(Kind.REFUSED_FOR_STATE, Errno.name(rc));
            default: return DestroyResult.of(Kind.FAILED, Errno.name(rc));
        }
    }

    @Override
    public DestroyResult disconnectOwned(TcpConnection c) {
        OptionalInt fd = c.inode() > 0 ? fds.selfFdOf(c.inode()) : OptionalInt.empty();
        if (fd.isEmpty()) {
            return DestroyResult.of(Kind.GONE, Errno.name(Errno.ENOENT));
        }
        // struct sockaddr with sa_family AF_UNSPEC: tcp_disconnect() sends a RST, the fd stays open.
        try (Memory addr = new Memory(16)) {
            addr.clear();
            int rc = LibC.connect(fd.getAsInt(), addr, 16);
            return rc == 0 ? DestroyResult.DESTROYED : DestroyResult.of(Kind.FAILED, Errno.name(Native.getLastError()));
        } catch (LinkageError e) {
            // The /proc backend runs where JNA cannot load (no native library, native access denied):
            // JNA's classes then fail to initialise, which must end in a result, not escape to the caller.
            return DestroyResult.of(Kind.NO_NATIVE_CALLS, Errno.name(Errno.ENOSYS));
        }
    }

    @Override
    public Map<Long, SocketOwner> socketOwners() {
        return fds.allSocketOwners();
    }

    @Override
    public Map<String, Long> tcpCounters() {
        return counters.tcpCounters();
    }

    @Override
    public List<Tunable> tunables() {
        return TcpSysctlReader.tunables();
    }

    @Override
    public Optional<TunableValue> read(Tunable tunable) {
        return sysctls.read(tunable);
    }

    @Override
    public PlatformCapabilities capabilities() {
        String release = System.getProperty("os.version", "");
        // Asked only off netlink (which needs JNA anyway): when /proc was chosen by the property, JNA
        // is assumed to work; when it came from JNA failing to load, loading it fails again here.
        boolean nativeCalls = backend == Backend.NETLINK
                || "procfs".equalsIgnoreCase(System.getProperty(TcpPlatforms.BACKEND_PROPERTY, "").trim())
                || HostCapabilityReader.nativeCallsWork();
        return new PlatformCapabilities(HostCapabilityReader.capNetAdmin(), release,
                HostCapabilityReader.destroyConfig(release), nativeCalls);
    }

    /** Runs a kernel call, turning netlink's exceptions into the platform's. */
    private static <T> T kernel(Supplier<T> call) {
        try {
            return call.get();
        } catch (NetlinkException | MalformedNetlinkException e) {
            throw new TcpPlatformException(e.getMessage(), e);
        }
    }

    private static Filter fourTuple(TcpConnection c) {
        return new Filter.And(
                new Filter.Host(Filter.Side.SOURCE, c.local().address(), c.local().addressLength() * 8, c.local().port()),
                new Filter.Host(Filter.Side.DESTINATION, c.remote().address(), c.remote().addressLength() * 8, c.remote().port()));
    }

    static TcpConnection toRow(InetDiagMessage m, InodeSet own) {
        IpFamily family = m.family() == LinuxConstants.AF_INET ? IpFamily.INET4 : IpFamily.INET6;
        int st = m.state();
        if (!TcpState.isLinuxState(st)) {
            throw new MalformedNetlinkException("socket with unknown state " + st);
        }
        long inode = m.inode();
        return new TcpConnection(family, m.source(), m.destination(),
                TcpState.fromLinux(st), m.rqueue(), m.wqueue(), m.uid(), inode, m.ifindex(), m.cookie(),
                SocketTimer.fromLinux(m.timer()), m.expires(), m.retrans(), own.contains(inode),
                m.congestionControl(), m.hasInfo() ? Optional.of(m.info()) : Optional.empty(), Backend.NETLINK,
                m.extras());
    }
}
