package org.tcpjmx.linux;

import static org.tcpjmx.linux.LinuxConstants.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.tcpjmx.filter.Filter;
import org.tcpjmx.model.TcpState;

/**
 * Compiles the part of a {@link Filter} the kernel can evaluate into a dump request: the state
 * mask of {@code inet_diag_req_v2} and {@code INET_DIAG_REQ_BYTECODE} for ports and addresses.
 *
 * <p>The filter's top-level conjuncts are split: pure state expressions narrow the mask, pure
 * port/address expressions become bytecode, anything else ({@code owned}, {@code stack}, a state
 * or'ed with a port) is left to Java. The plan is a superset of the filter; {@link Plan#exact()}
 * says whether it is the filter itself, so a caller may skip evaluating rows in Java.
 *
 * <p>Bytecode fragments follow one convention: success falls through to the end of the fragment,
 * failure jumps four bytes past it. The kernel accepts a socket when the program ends exactly at
 * its length ({@code inet_diag_bc_run}). Ports and addresses use {@code S_GE/S_LE/D_GE/D_LE},
 * {@code S_COND/D_COND} and {@code JMP}, which every kernel since 2.6 audits and runs; {@code autobound}
 * uses {@code AUTO} (as old). {@code dev}, {@code fwmark} and {@code cgroup} use {@code DEV_COND},
 * {@code MARK_COND} (4.14) and {@code CGROUP_COND} (5.9) only when {@link Options#newOps()} allows:
 * an older kernel refuses the whole bytecode with EINVAL, and the caller then plans again without
 * them, leaving those conditions to Java.
 */
public final class InetDiagBytecode {
    /** The kernel's attribute length is 16 bits; stay well clear of it. */
    private static final int MAX_BYTECODE = 32 * 1024;

    /**
     * What the kernel will filter.
     *
     * @param stateMask the req_v2 state mask (Linux state bits)
     * @param bytecode the bytecode, empty for none
     * @param exact whether the kernel's answer is exactly the filter's matches
     */
    public record Plan(int stateMask, byte[] bytecode, boolean exact) {
    }

    /**
     * What the kernel may be asked.
     *
     * @param newOps whether DEV_COND, MARK_COND and CGROUP_COND may be used
     * @param ephemeralLow first port of {@code ip_local_port_range}, for {@code autobound}
     * @param ephemeralHigh last port of it
     */
    public record Options(boolean newOps, int ephemeralLow, int ephemeralHigh) {
        /** Every op; the default port range of Linux. */
        public static final Options DEFAULT = new Options(true, 32768, 60999);
    }

    private InetDiagBytecode() {
    }

    /** Plans a filter with {@link Options#DEFAULT}. */
    public static Plan plan(Filter filter) {
        return plan(filter, Options.DEFAULT);
    }

    /** Plans a filter. */
    public static Plan plan(Filter filter, Options options) {
        List<Filter> conjuncts = new ArrayList<>();
        flattenAnd(filter, conjuncts);
        int mask = ALL_STATES_MASK;
        byte[] code = new byte[0];
        boolean exact = true;
        for (Filter c : conjuncts) {
            if (isPureState(c)) {
                mask &= stateMask(c);
            } else if (isCompilable(c, options)) {
                code = and(code, compile(c, options));
            } else {
                exact = false;
            }
        }
        if (code.length > MAX_BYTECODE) {
            code = new byte[0];
            exact = false;
        }
        return new Plan(mask, code, exact);
    }

    private static void flattenAnd(Filter f, List<Filter> out) {
        if (f instanceof Filter.And a) {
            flattenAnd(a.left(), out);
            flattenAnd(a.right(), out);
        } else {
            out.add(f);
        }
    }

    static boolean isPureState(Filter f) {
        if (f instanceof Filter.States || f instanceof Filter.All) {
            return true;
        }
        if (f instanceof Filter.Not n) {
            return isPureState(n.inner());
        }
        if (f instanceof Filter.And a) {
            return isPureState(a.left()) && isPureState(a.right());
        }
        if (f instanceof Filter.Or o) {
            return isPureState(o.left()) && isPureState(o.right());
        }
        return false;
    }

    static boolean isCompilable(Filter f, Options options) {
        if (f instanceof Filter.Port || f instanceof Filter.Host || f instanceof Filter.Autobound) {
            return true;
        }
        if (f instanceof Filter.Dev || f instanceof Filter.Mark || f instanceof Filter.Cgroup) {
            return options.newOps();
        }
        if (f instanceof Filter.Not n) {
            return isCompilable(n.inner(), options);
        }
        if (f instanceof Filter.And a) {
            return isCompilable(a.left(), options) && isCompilable(a.right(), options);
        }
        if (f instanceof Filter.Or o) {
            return isCompilable(o.left(), options) && isCompilable(o.right(), options);
        }
        return false;
    }

    /** Whether the filter would use an op newer than Linux 2.6's. */
    public static boolean usesNewOps(Filter f) {
        return f.uses(x -> x instanceof Filter.Dev || x instanceof Filter.Mark || x instanceof Filter.Cgroup);
    }

    /** The Linux state mask of a pure state expression. */
    static int stateMask(Filter f) {
        if (f instanceof Filter.All) {
            return ALL_STATES_MASK;
        }
        if (f instanceof Filter.States s) {
            int m = 0;
            for (TcpState st : s.states()) {
                m |= st.linuxMask();
            }
            return m;
        }
        if (f instanceof Filter.Not n) {
            return ALL_STATES_MASK & ~stateMask(n.inner());
        }
        if (f instanceof Filter.And a) {
            return stateMask(a.left()) & stateMask(a.right());
        }
        if (f instanceof Filter.Or o) {
            return stateMask(o.left()) | stateMask(o.right());
        }
        throw new IllegalArgumentException("not a state expression: " + f);
    }

    /** Compiles a port/address expression into one fragment. */
    static byte[] compile(Filter f, Options options) {
        if (f instanceof Filter.Dev d) {
            return ops(op(INET_DIAG_BC_DEV_COND, 8, 12), u32(d.ifindex()));
        }
        if (f instanceof Filter.Mark m) {
            // struct inet_diag_markcond { __u32 mark; __u32 mask; }
            return ops(op(INET_DIAG_BC_MARK_COND, 12, 16), u32((int) m.value()), u32((int) m.mask()));
        }
        if (f instanceof Filter.Cgroup g) {
            byte[] id = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(g.id()).array();
            return ops(op(INET_DIAG_BC_CGROUP_COND, 12, 16), id);
        }
        if (f instanceof Filter.Autobound) {
            // The kernel's AUTO is "port not bound by the user" (and true for TIME_WAIT and request
            // sockets); ss also requires the port to lie in ip_local_port_range. Both, here.
            return and(op(INET_DIAG_BC_AUTO, 4, 8), and(portOp(INET_DIAG_BC_S_GE, options.ephemeralLow()),
                    portOp(INET_DIAG_BC_S_LE, options.ephemeralHigh())));
        }
        if (f instanceof Filter.Port p) {
            boolean src = p.side() == Filter.Side.SOURCE;
            int ge = src ? INET_DIAG_BC_S_GE : INET_DIAG_BC_D_GE;
            int le = src ? INET_DIAG_BC_S_LE : INET_DIAG_BC_D_LE;
            switch (p.op()) {
                case GE: return portOp(ge, p.port());
                case LE: return portOp(le, p.port());
                case EQ: return and(portOp(ge, p.port()), portOp(le, p.port()));
                case NE: return not(and(portOp(ge, p.port()), portOp(le, p.port())));
                case LT: return not(portOp(ge, p.port()));
                default: return not(portOp(le, p.port()));
            }
        }
        if (f instanceof Filter.Host h) {
            return hostOp(h);
        }
        if (f instanceof Filter.Not n) {
            return not(compile(n.inner(), options));
        }
        if (f instanceof Filter.And a) {
            return and(compile(a.left(), options), compile(a.right(), options));
        }
        if (f instanceof Filter.Or o) {
            return or(compile(o.left(), options), compile(o.right(), options));
        }
        throw new IllegalArgumentException("the kernel cannot evaluate " + f);
    }

    private static byte[] portOp(int code, int port) {
        return ops(op(code, 8, 12), op(0, 0, port));
    }

    private static byte[] hostOp(Filter.Host h) {
        byte[] addr = h.address();
        int family = addr.length == 0 ? AF_UNSPEC : addr.length == 4 ? AF_INET : AF_INET6;
        int len = 4 + 8 + addr.length;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.put((byte) (h.side() == Filter.Side.SOURCE ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND));
        b.put((byte) len).putShort((short) (len + 4));
        // struct inet_diag_hostcond { u8 family; u8 prefix_len; int port; __be32 addr[]; }
        b.put((byte) family).put((byte) h.prefixLength()).putShort((short) 0).putInt(h.port());
        b.put(addr);
        return b.array();
    }

    /** a, then b; a's failures are moved past b. */
    static byte[] and(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        if (b.length == 0) {
            return a;
        }
        byte[] out = concat(a, b);
        relocateFailures(out, a.length, b.length);
        return out;
    }

    /** a; on success jump over b; a's failure lands on b. */
    static byte[] or(byte[] a, byte[] b) {
        return concat(concat(a, op(INET_DIAG_BC_JMP, 4, b.length + 4)), b);
    }

    /** a; on success jump to failure; a's failure lands just past the jump, at the end: success. */
    static byte[] not(byte[] a) {
        return concat(a, op(INET_DIAG_BC_JMP, 4, 8));
    }

    /** Adds {@code reloc} to each op of the first {@code len} bytes whose failure jumps to len + 4. */
    private static void relocateFailures(byte[] code, int len, int reloc) {
        ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.nativeOrder());
        int at = 0;
        while (at < len) {
            int yes = b.get(at + 1) & 0xff;
            int no = b.getShort(at + 2) & 0xffff;
            if (no == len - at + 4) {
                b.putShort(at + 2, (short) (no + reloc));
            }
            at += yes;
        }
    }

    /** The bytecode that passes exactly the sockets the kernel calls autobound (its AUTO op alone). */
    public static byte[] kernelAutobound() {
        return op(INET_DIAG_BC_AUTO, 4, 8);
    }

    /** Bytecode that the kernel audits as a mark condition, to learn whether it takes one from us. */
    public static byte[] markProbe() {
        return compile(new Filter.Mark(0, 0), Options.DEFAULT);
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static byte[] op(int code, int yes, int no) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).put((byte) code).put((byte) yes).putShort((short) no).array();
    }

    private static byte[] ops(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ops(a, b);
    }
}
