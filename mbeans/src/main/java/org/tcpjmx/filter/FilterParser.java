package org.tcpjmx.filter;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.tcpjmx.filter.Filter.Comparison;
import org.tcpjmx.filter.Filter.Side;
import org.tcpjmx.filter.FilterTokenizer.Token;
import org.tcpjmx.model.IpAddresses;
import org.tcpjmx.model.IpFamily;
import org.tcpjmx.model.TcpState;

/**
 * Parses {@code ss}'s filter language with ss's meaning ({@code misc/ssfilter.y} and the filter
 * parts of {@code misc/ss.c} in iproute2), plus a few extensions.
 *
 * <pre>
 * filter  := [ ('state' | 'exclude' | 'excl') STATE ]... [ 'and' | 'or' ] [ list ]   leading state clauses: union, minus excludes
 * list    := unary ( [ OR | AND ] unary )*      read left to right: A or B and C = (A or B) and C
 * unary   := ('not' | '!') unary | '(' list ')' | leaf
 * leaf    := ('sport' | 'dport') [OP] PORT      no OP: =; OP: = == eq != ne neq &lt; lt &lt;= le leq &gt; gt &gt;= ge geq
 *          | ('src' | 'dst') ['='] HOST
 *          | 'dev' [= | !=] NAME-OR-INDEX | 'fwmark' [= | !=] VALUE[/MASK] | 'cgroup' [= | !=] PATH | 'autobound'
 *          | STATE | GROUP | 'state' STATE | 'exclude' STATE          (extension)
 *          | 'owned'                             sockets of this JVM (extension)
 *          | 'stack' NAME                        congestion-control module on Linux (extension)
 * OR      := 'or' | '||' | '|'         AND := 'and' | '&amp;&amp;' | '&amp;' | nothing
 * PORT    := [inet: | inet6:] [:] (number | service name from /etc/services | *)
 * HOST    := [inet: | inet6:] (ADDR[/LEN] | [ADDR[/LEN]] | * | any | all | default | host name) [:PORT]
 * ADDR    := IPv4, also ss's short forms (10/8, 193.233.7/24), or IPv6; LEN a number or a dotted mask
 * STATE   := a tcpdrop or ss state name, any case (TIME_WAIT, time-wait, estab, syn-recv, ...)
 * GROUP   := all | connected | synchronized | bucket | big
 * </pre>
 *
 * <p>Numbers are read as ss reads them: {@code 0x16} and {@code 026} are 22. {@code inet:} and
 * {@code inet6:} restrict the whole answer to that family, as in ss. An IPv4 condition matches IPv4
 * sockets and IPv4-mapped IPv6 ones (the kernel's rule), see {@link Filter.Host}.
 *
 * <p>An empty or blank filter matches every socket. Errors are {@link IllegalArgumentException}s
 * naming the offending token and its 1-based column. {@link #parseForDrop} also refuses a list
 * that mixes {@code and} and {@code or} without parentheses, saying how ss groups it.
 *
 * <p>A filter is at most {@value #MAX_LENGTH} characters and nests at most {@value #MAX_NESTING}
 * levels of parentheses and {@code not}: parsing, evaluation and the kernel compiler recurse over
 * the filter's tree, and a filter sent over JMX or HTTP must not be able to overflow the stack of
 * the host JVM's thread (a 20,000-term chain did).
 */
public final class FilterParser {
    private static final Set<TcpState> ALL = EnumSet.allOf(TcpState.class);
    /** ss(8): "all the states except for listening and closed" (checked against ss by a test). */
    private static final Set<TcpState> CONNECTED = EnumSet.complementOf(EnumSet.of(TcpState.LISTEN, TcpState.CLOSED));
    private static final Set<TcpState> BUCKET = EnumSet.of(TcpState.SYN_RCVD, TcpState.TIME_WAIT);
    /** Host names as RFC 1123 allows them, plus '_' which local resolvers accept. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}");
    /** Longest filter accepted: far more than any hand-written one, short enough to keep the tree shallow. */
    public static final int MAX_LENGTH = 4096;
    /** Deepest nesting of parentheses and {@code not} accepted. */
    public static final int MAX_NESTING = 64;
    /** How much of an over-long filter an error message quotes. */
    private static final int QUOTED = 64;

    private final String text;
    private final List<Token> tokens;
    private int pos;
    private int nesting;
    /** The family of the last {@code inet:}/{@code inet6:} prefix: ss restricts its whole answer to it. */
    private IpFamily family;
    /** The first list that mixes and with or, as ss groups it; null when none does. */
    private String mixed;
    private String mixedGrouping;

    private FilterParser(String text) {
        this.text = text;
        this.tokens = FilterTokenizer.tokenize(text);
    }

    /**
     * Parses a filter, reading {@code and} and {@code or} as ss does: left to right, neither binding
     * tighter ({@code A or B and C or D} is {@code ((A or B) and C) or D}).
     *
     * @param filter the filter text; null or blank matches everything
     * @throws IllegalArgumentException naming the token and its position when the text does not parse
     */
    public static Filter parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return Filter.ALL;
        }
        if (filter.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("filter '" + filter.substring(0, QUOTED) + "...' is " + filter.length()
                    + " characters long; at most " + MAX_LENGTH + " are accepted");
        }
        return new FilterParser(filter).parseFilter();
    }

    /**
     * Parses a filter for a drop: as {@link #parse}, but a list that mixes {@code and} and {@code or}
     * without parentheses is refused, with how ss would group it. A drop must not depend on a
     * precedence rule the operator may not know.
     *
     * @throws IllegalArgumentException when the filter does not parse or mixes and/or without parentheses
     */
    public static Filter parseForDrop(String filter) {
        if (filter == null || filter.isBlank() || filter.length() > MAX_LENGTH) {
            return parse(filter);
        }
        FilterParser p = new FilterParser(filter);
        Filter f = p.parseFilter();
        if (p.mixed != null) {
            throw new IllegalArgumentException("filter '" + filter + "' mixes 'and' and 'or' without parentheses in '"
                    + p.mixed + "'; ss reads it left to right, as '" + p.mixedGrouping + "'. A drop does not rely on"
                    + " that: add parentheses to say which connections you mean");
        }
        return f;
    }

    private Filter parseFilter() {
        Filter prefix = null;
        Set<TcpState> included = null;
        Set<TcpState> excluded = EnumSet.noneOf(TcpState.class);
        int clausesStart = pos;
        while (peekIs("state") || peekIs("exclude") || peekIs("excl")) {
            boolean include = next().text().equalsIgnoreCase("state");
            Set<TcpState> states = stateSet(expectWord("a state name after '" + (include ? "state" : "exclude") + "'"));
            if (include) {
                if (included == null) {
                    included = EnumSet.noneOf(TcpState.class);
                }
                included.addAll(states);
            } else {
                excluded.addAll(states);
            }
        }
        boolean explicitAnd = false;
        if (included != null || !excluded.isEmpty()) {
            Set<TcpState> s = included == null ? EnumSet.allOf(TcpState.class) : EnumSet.copyOf(included);
            s.removeAll(excluded);
            prefix = new Filter.States(s);
            if (peekIsOr()) {
                // "state close-wait or dport = :80": the state list is the left operand of the or.
                Token op = next();
                if (pos >= tokens.size()) {
                    throw error(op, "expected an expression after it");
                }
                Filter rest = parseList();
                expectEnd();
                return withFamily(new Filter.Or(prefix, rest));
            }
            if (peekIsAnd()) {
                next();
                explicitAnd = true;
                if (pos >= tokens.size()) {
                    throw error(tokens.get(pos - 1), "expected an expression after it");
                }
            }
        }
        Filter expr = null;
        if (pos < tokens.size()) {
            int listStart = pos;
            boolean[] sawOr = {false};
            expr = parseList(sawOr);
            expectEnd();
            if (explicitAnd && sawOr[0] && mixed == null) {
                // "state X and A or B" is state X and (A or B) here; ss refuses it. Ask a drop to say so.
                mixed = span(clausesStart, pos - 1);
                mixedGrouping = span(clausesStart, listStart - 1) + " (" + span(listStart, pos - 1) + ")";
            }
        }
        if (prefix == null) {
            return withFamily(expr);
        }
        return withFamily(expr == null ? prefix : new Filter.And(prefix, expr));
    }

    private Filter withFamily(Filter f) {
        Filter read = f == null ? null : asSsReadsIt(f);
        return family == null ? read : new Filter.And(new Filter.Family(family), read);
    }

    /**
     * ss selects a socket only when both the kernel (running the compiled filter) and ss itself (running
     * the filter again on each answer) accept it. The two readings differ on one leaf: a host condition
     * of prefix length 0 in a family ({@code inet6:any}, {@code inet:0.0.0.0/0}) is, to the kernel, "a
     * socket of that family" and to ss "any socket". Where such a leaf occurs the answer is therefore
     * both readings joined by and ({@code not dst inet6:any} selects nothing, as with ss).
     */
    private static Filter asSsReadsIt(Filter f) {
        Filter userspace = withoutFamilyOnlyHosts(f);
        return userspace == f ? f : new Filter.And(f, userspace);
    }

    /** The filter with each zero-length host condition of a family made one of no family; f itself when none is. */
    private static Filter withoutFamilyOnlyHosts(Filter f) {
        if (f instanceof Filter.Host h && h.prefixLength() == 0 && h.address().length > 0) {
            return new Filter.Host(h.side(), new byte[0], 0, h.port());
        }
        if (f instanceof Filter.And a) {
            Filter l = withoutFamilyOnlyHosts(a.left());
            Filter r = withoutFamilyOnlyHosts(a.right());
            return l == a.left() && r == a.right() ? f : new Filter.And(l, r);
        }
        if (f instanceof Filter.Or o) {
            Filter l = withoutFamilyOnlyHosts(o.left());
            Filter r = withoutFamilyOnlyHosts(o.right());
            return l == o.left() && r == o.right() ? f : new Filter.Or(l, r);
        }
        if (f instanceof Filter.Not n) {
            Filter i = withoutFamilyOnlyHosts(n.inner());
            return i == n.inner() ? f : new Filter.Not(i);
        }
        return f;
    }

    private void expectEnd() {
        if (pos < tokens.size()) {
            Token t = tokens.get(pos);
            throw error(t, t.text().equals(")") ? "unbalanced ')'" : "unexpected token");
        }
    }

    private Filter parseList() {
        return parseList(new boolean[1]);
    }

    /** ss's exprlist: operands joined by or, and, or nothing (and), grouped left to right. */
    private Filter parseList(boolean[] sawOr) {
        int start = pos;
        Filter left = parseUnary();
        String grouped = span(start, pos - 1);
        Boolean lastOr = null;
        boolean sawAnd = false;
        while (pos < tokens.size() && !peekIs(")")) {
            boolean or;
            String op;
            if (peekIsOr()) {
                or = true;
                Token t = next();
                op = t.text();
                if (pos >= tokens.size()) {
                    throw error(t, "expected an expression after it");
                }
            } else if (peekIsAnd()) {
                or = false;
                Token t = next();
                op = t.text();
                if (pos >= tokens.size()) {
                    throw error(t, "expected an expression after it");
                }
            } else {
                or = false;
                op = "and";
            }
            int operandStart = pos;
            Filter right = parseUnary();
            left = or ? new Filter.Or(left, right) : new Filter.And(left, right);
            if (lastOr != null && lastOr != or) {
                grouped = "(" + grouped + ")";
            }
            grouped = grouped + " " + op + " " + span(operandStart, pos - 1);
            lastOr = or;
            sawOr[0] |= or;
            sawAnd |= !or;
        }
        if (sawOr[0] && sawAnd && mixed == null) {
            mixed = span(start, pos - 1);
            mixedGrouping = grouped;
        }
        return left;
    }

    /** The filter text from token {@code first} to token {@code last}, inclusive. */
    private String span(int first, int last) {
        Token a = tokens.get(first);
        Token b = tokens.get(last);
        return text.substring(a.position() - 1, b.position() - 1 + b.text().length());
    }

    private Filter parseUnary() {
        if (pos >= tokens.size()) {
            throw new IllegalArgumentException("filter '" + text + "': unexpected end, expected an expression");
        }
        Token t = next();
        String w = t.text().toLowerCase(Locale.ROOT);
        switch (w) {
            case "not":
            case "!":
                enter(t);
                try {
                    return new Filter.Not(parseUnary());
                } finally {
                    nesting--;
                }
            case "(": {
                if (peekIs(")")) {
                    throw error(tokens.get(pos), "empty parentheses");
                }
                enter(t);
                Filter inner;
                try {
                    inner = parseList();
                } finally {
                    nesting--;
                }
                if (!peekIs(")")) {
                    throw pos < tokens.size() ? error(tokens.get(pos), "expected ')'")
                            : error(t, "'(' is never closed");
                }
                next();
                return inner;
            }
            case "state":
                return new Filter.States(stateSet(expectWord("a state name after 'state'")));
            case "exclude":
            case "excl":
                return new Filter.Not(new Filter.States(stateSet(expectWord("a state name after 'exclude'"))));
            case "owned":
                return new Filter.Owned();
            case "autobound":
                return new Filter.Autobound();
            case "stack": {
                Token name = expectWord("a congestion-control name after 'stack' (cubic, bbr, reno, ...)");
                if (!Filter.Stack.isName(name.text())) {
                    throw error(name, "not a congestion-control name (" + Filter.Stack.NAME_RULE + ")");
                }
                return new Filter.Stack(name.text());
            }
            case "sport":
            case "dport":
                return parsePort(w.equals("sport") ? Side.SOURCE : Side.DESTINATION);
            case "src":
            case "dst": {
                Side side = w.equals("src") ? Side.SOURCE : Side.DESTINATION;
                if (pos < tokens.size() && comparison(tokens.get(pos).text()) == Comparison.EQ) {
                    next(); // ss: "src = ADDR"
                }
                return parseHost(side, expectWord("an address after '" + w + "'"));
            }
            case "dev":
                return negatable("dev", this::parseDev);
            case "fwmark":
                return negatable("fwmark", this::parseMark);
            case "cgroup":
                return negatable("cgroup", this::parseCgroup);
            case ")":
                throw error(t, "unbalanced ')'");
            default:
                if (isOperatorToken(t.text())) {
                    throw error(t, "expected an expression, not an operator");
                }
                Set<TcpState> states = stateGroupOrNull(t.text());
                if (states == null) {
                    throw error(t, "unknown word; expected a state (" + TcpState.validNames()
                            + "), a group (all, connected, synchronized, bucket, big), sport, dport, src, dst, dev,"
                            + " fwmark, cgroup, autobound, owned, stack, not, '('");
                }
                return states.size() == ALL.size() ? Filter.ALL : new Filter.States(states);
        }
    }

    /** {@code KEYWORD [= | !=] OPERAND}, as ss takes dev, fwmark and cgroup. */
    private Filter negatable(String keyword, java.util.function.Function<Token, Filter> operand) {
        Comparison op = pos < tokens.size() ? comparison(tokens.get(pos).text()) : null;
        if (op != null && op != Comparison.EQ && op != Comparison.NE) {
            throw error(tokens.get(pos), "'" + keyword + "' takes '=' or '!=' (or neither), not '" + tokens.get(pos).text() + "'");
        }
        if (op != null) {
            next();
        }
        Filter f = operand.apply(expectWord("an operand after '" + keyword + "'"));
        return op == Comparison.NE ? new Filter.Not(f) : f;
    }

    private Filter parseDev(Token t) {
        OptionalInt index = FilterNames.interfaceIndex(t.text());
        if (index.isPresent()) {
            return new Filter.Dev(index.getAsInt());
        }
        long n = number(t.text());
        if (n < 0 || n > 0xffffffffL) {
            throw error(t, "no interface of that name in this network namespace, and not an interface index");
        }
        return new Filter.Dev((int) n);
    }

    private Filter parseMark(Token t) {
        String[] parts = t.text().split("/", -1);
        if (parts.length > 2) {
            throw error(t, "expected a mark VALUE or VALUE/MASK");
        }
        long value = number(parts[0]);
        long mask = parts.length == 2 ? number(parts[1]) : 0xffffffffL;
        if (value < 0 || value > 0xffffffffL || mask < 0 || mask > 0xffffffffL) {
            throw error(t, "expected a mark VALUE or VALUE/MASK, each a 32-bit number (decimal, 0x hex or 0 octal)");
        }
        return new Filter.Mark(value, mask);
    }

    private Filter parseCgroup(Token t) {
        try {
            return new Filter.Cgroup(FilterNames.cgroupId(t.text()));
        } catch (IllegalArgumentException e) {
            throw error(t, e.getMessage());
        }
    }

    /** A number as C's strtoul with base 0 reads it (decimal, 0x hex, leading-0 octal), or -1. */
    static long number(String s) {
        try {
            if (s.matches("0[xX][0-9a-fA-F]{1,8}")) {
                return Long.parseLong(s.substring(2), 16);
            }
            if (s.matches("0[0-7]{1,11}")) {
                return Long.parseLong(s, 8);
            }
            if (s.matches("[0-9]{1,10}")) {
                return Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Strips an {@code inet:}/{@code inet6:} prefix, remembering the family as ss does. */
    private String familyPrefix(String s) {
        if (s.startsWith("inet:")) {
            family = IpFamily.INET4;
            return s.substring(5);
        }
        if (s.startsWith("inet6:")) {
            family = IpFamily.INET6;
            return s.substring(6);
        }
        return s;
    }

    private Filter parsePort(Side side) {
        String keyword = side == Side.SOURCE ? "sport" : "dport";
        Token opToken = expectWord("a port after '" + keyword + "'");
        Comparison op = comparison(opToken.text());
        Token portToken;
        if (op == null) {
            // ss: "sport 22" and "sport :22" with no operator mean equality.
            op = Comparison.EQ;
            portToken = opToken;
        } else {
            portToken = expectWord("a port after '" + keyword + " " + opToken.text() + "'");
        }
        String p = familyPrefix(portToken.text());
        if (p.startsWith(":")) {
            p = p.substring(1);
        }
        if (p.equals("*")) {
            if (op != Comparison.EQ && op != Comparison.NE) {
                throw error(portToken, "'*' (any port) can only be compared with = or !=");
            }
            Filter any = new Filter.Host(side, new byte[0], 0, -1);
            return op == Comparison.EQ ? any : new Filter.Not(any);
        }
        return new Filter.Port(side, op, port(portToken, p));
    }

    private Filter parseHost(Side side, Token t) {
        String s = familyPrefix(t.text());
        boolean prefixed = s.length() != t.text().length();
        int port = -1;
        String addr;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw error(t, "'[' without ']'");
            }
            addr = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.startsWith("/")) {
                // Our extension: [v6]/len as well as ss's [v6/len].
                int colon = rest.indexOf(':');
                String prefix = colon < 0 ? rest : rest.substring(0, colon);
                addr = addr + prefix;
                rest = colon < 0 ? "" : rest.substring(colon);
            }
            if (rest.startsWith(":")) {
                port = portOrAny(t, rest.substring(1));
            } else if (!rest.isEmpty()) {
                throw error(t, "unexpected '" + rest + "' after ']'");
            }
        } else if (s.startsWith("*")) {
            addr = "*";
            String rest = s.substring(1);
            if (rest.startsWith(":")) {
                port = portOrAny(t, rest.substring(1));
            } else if (!rest.isEmpty()) {
                throw error(t, "unexpected '" + rest + "' after '*'");
            }
        } else {
            int slash = s.indexOf('/');
            long colons = s.chars().filter(c -> c == ':').count();
            // ss takes the port after the last ':' (after the prefix, if any). A bare IPv6 address
            // (two or more colons, no prefix) is our extension: ss refuses it.
            int colon = slash >= 0 ? s.indexOf(':', slash) : colons == 1 ? s.indexOf(':') : -1;
            if (slash >= 0 && colon >= 0) {
                colon = s.lastIndexOf(':');
            }
            if (colon >= 0) {
                addr = s.substring(0, colon);
                port = portOrAny(t, s.substring(colon + 1));
            } else {
                addr = s;
            }
        }
        if (addr.isEmpty() || addr.equals("*")) {
            if (port == -1 && addr.isEmpty()) {
                throw error(t, "missing address");
            }
            return new Filter.Host(side, new byte[0], 0, port);
        }
        if (addr.equals("any") || addr.equals("all") || addr.equals("default")) {
            // ss reads these as an address of length 0 in the prefix's family (none without one).
            return new Filter.Host(side, prefixed ? new byte[family.addressLength()] : new byte[0], 0, port);
        }
        int slash = addr.indexOf('/');
        String host = slash < 0 ? addr : addr.substring(0, slash);
        byte[] bytes = host.contains(":") ? v6(t, host) : shortV4(host);
        if (bytes == null) {
            if (host.matches("[0-9.]+")) {
                throw error(t, "not a numeric address: '" + host + "' needs one to four parts 0-255");
            }
            if (slash >= 0 || !HOST_NAME.matcher(host).matches()) {
                throw error(t, "'" + addr + "' is neither an address (a.b.c.d, a short form such as 10/8,"
                        + " or IPv6 in brackets) nor a host name");
            }
            List<byte[]> found;
            try {
                found = FilterNames.host(host, family);
            } catch (IllegalArgumentException e) {
                throw error(t, "'" + host + "' " + e.getMessage());
            }
            Filter any = null;
            for (byte[] a : found) {
                Filter h = new Filter.Host(side, a, a.length * 8, port);
                any = any == null ? h : new Filter.Or(any, h);
            }
            return any;
        }
        if (family != null && family.addressLength() != bytes.length) {
            throw error(t, "'" + host + "' is not an " + (family == IpFamily.INET4 ? "IPv4" : "IPv6")
                    + " address, as its prefix '" + (family == IpFamily.INET4 ? "inet:" : "inet6:") + "' says");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            prefix = prefixLength(t, addr.substring(slash + 1), bytes.length * 8);
        }
        return new Filter.Host(side, bytes, prefix, port);
    }

    private byte[] v6(Token t, String host) {
        try {
            byte[] b = IpAddresses.parseNumeric(host);
            if (b.length != 16) {
                throw error(t, "'" + host + "' is not an IPv6 address");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw error(t, "not a numeric IPv6 address (" + e.getMessage() + ")");
        }
    }

    /**
     * IPv4 as iproute2's {@code get_addr_ipv4} reads it: one to four parts, each a C number (decimal,
     * 0x hex, 0 octal) up to 255, filling the address from the left ({@code 10} is 10.0.0.0,
     * {@code 193.233.7} is 193.233.7.0). Null when it is not one.
     */
    static byte[] shortV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < parts.length; i++) {
            long n = number(parts[i]);
            if (n < 0 || n > 255) {
                return null;
            }
            out[i] = (byte) n;
        }
        return out;
    }

    /** A prefix length: a number up to {@code max}, or a contiguous dotted IPv4 mask (255.255.0.0). */
    private int prefixLength(Token t, String len, int max) {
        long n = number(len);
        if (n >= 0 && n <= max) {
            return (int) n;
        }
        if (n < 0 && len.chars().filter(c -> c == '.').count() == 3) {
            byte[] m = shortV4(len);
            if (m != null) {
                int bits = ((m[0] & 0xff) << 24) | ((m[1] & 0xff) << 16) | ((m[2] & 0xff) << 8) | (m[3] & 0xff);
                int ones = Integer.bitCount(bits);
                if (ones <= max && bits == (ones == 0 ? 0 : -1 << (32 - ones))) {
                    return ones;
                }
            }
        }
        throw error(t, "prefix length '" + len + "' is not a number 0-" + max + (max == 32 ? " or a contiguous netmask" : ""));
    }

    /** A port after an address: a number, a service name, or '*' (any: -1). */
    private int portOrAny(Token t, String p) {
        return p.equals("*") || p.isEmpty() ? -1 : port(t, p);
    }

    /** A port: a C number (22, 0x16, 026) up to 65535, or a TCP service name from /etc/services. */
    private int port(Token t, String p) {
        long n = number(p);
        if (n >= 0 && n <= 65535) {
            return (int) n;
        }
        if (n < 0 && !p.isEmpty() && p.matches("[A-Za-z][A-Za-z0-9_.+-]*")) {
            OptionalInt service = FilterNames.service(p);
            if (service.isPresent()) {
                return service.getAsInt();
            }
            throw error(t, "'" + p + "' is not a port number and not a TCP service name in /etc/services");
        }
        throw error(t, "'" + p + "' is not a port number 0-65535 (or a service name)");
    }

    private static Comparison comparison(String op) {
        switch (op.toLowerCase(Locale.ROOT)) {
            case "=": case "==": case "eq": return Comparison.EQ;
            case "!=": case "ne": case "neq": return Comparison.NE;
            case "<": case "lt": return Comparison.LT;
            case "<=": case "le": case "leq": return Comparison.LE;
            case ">": case "gt": return Comparison.GT;
            case ">=": case "ge": case "geq": return Comparison.GE;
            default: return null;
        }
    }

    private Set<TcpState> stateSet(Token t) {
        Set<TcpState> s = stateGroupOrNull(t.text());
        if (s == null) {
            throw error(t, "unknown state; expected one of " + TcpState.validNames()
                    + " or a group (all, connected, synchronized, bucket, big)");
        }
        return s;
    }

    /** A state name or one of ss's groups, or null. */
    static Set<TcpState> stateGroupOrNull(String word) {
        switch (word.toLowerCase(Locale.ROOT)) {
            case "all": return EnumSet.copyOf(ALL);
            case "connected": return EnumSet.copyOf(CONNECTED);
            case "synchronized": {
                Set<TcpState> s = EnumSet.copyOf(CONNECTED);
                s.remove(TcpState.SYN_SENT);
                return s;
            }
            case "bucket": return EnumSet.copyOf(BUCKET);
            case "big": return EnumSet.complementOf(EnumSet.copyOf(BUCKET));
            default:
                try {
                    return EnumSet.of(TcpState.parse(word));
                } catch (IllegalArgumentException e) {
                    return null;
                }
        }
    }

    /** One level deeper into parentheses or {@code not}; refused past {@link #MAX_NESTING}. */
    private void enter(Token t) {
        if (++nesting > MAX_NESTING) {
            throw error(t, "nested more than " + MAX_NESTING + " levels deep (parentheses and 'not')");
        }
    }

    private static boolean isOperatorToken(String s) {
        return comparison(s) != null && !Character.isLetter(s.charAt(0)) || s.equals("&") || s.equals("&&")
                || s.equals("|") || s.equals("||");
    }

    private boolean peekIsOr() {
        return peekIs("or") || peekIs("||") || peekIs("|");
    }

    private boolean peekIsAnd() {
        return peekIs("and") || peekIs("&&") || peekIs("&");
    }

    private boolean peekIs(String word) {
        return pos < tokens.size() && tokens.get(pos).text().equalsIgnoreCase(word);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private Token expectWord(String what) {
        if (pos >= tokens.size()) {
            throw new IllegalArgumentException("filter '" + text + "': unexpected end, expected " + what);
        }
        Token t = tokens.get(pos);
        if (t.text().equals("(") || t.text().equals(")")) {
            throw error(t, "expected " + what);
        }
        pos++;
        return t;
    }

    private IllegalArgumentException error(Token t, String message) {
        return new IllegalArgumentException("filter '" + text + "': '" + t.text() + "' at position " + t.position() + ": " + message);
    }
}
