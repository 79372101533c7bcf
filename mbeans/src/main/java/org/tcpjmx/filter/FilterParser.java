package org.tcpjmx.filter;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.tcpjmx.filter.Filter.Comparison;
import org.tcpjmx.filter.Filter.Side;
import org.tcpjmx.filter.FilterTokenizer.Token;
import org.tcpjmx.model.IpAddresses;
import org.tcpjmx.model.TcpState;

/**
 * Parses {@code ss}'s filter language, as ss(8) documents it, plus two extensions.
 *
 * <pre>
 * filter  := [ ('state' | 'exclude') STATE ]... [ expr ]     leading state clauses: union, minus excludes
 * expr    := term ( ('or' | '||' | '|') term )*
 * term    := unary ( [ 'and' | '&amp;&amp;' | '&amp;' ] unary )*   juxtaposition means and
 * unary   := ('not' | '!') unary | '(' expr ')' | leaf
 * leaf    := STATE | GROUP | 'state' STATE | 'exclude' STATE
 *          | ('sport' | 'dport') OP PORT          OP: = == != &lt; &lt;= &gt; &gt;= eq ne neq lt le gt ge
 *          | ('src' | 'dst') HOST                 HOST: addr, addr/len, [v6], [v6]/len, *, each with optional :port
 *          | 'owned'                              sockets of this JVM (extension)
 *          | 'stack' NAME                         congestion-control module on Linux (extension)
 * STATE   := a tcpdrop or ss state name, any case (TIME_WAIT, time-wait, estab, syn-recv, ...)
 * GROUP   := all | connected | synchronized | bucket | big
 * PORT    := [':'] number
 * </pre>
 *
 * <p>An empty or blank filter matches every socket. Errors are {@link IllegalArgumentException}s
 * naming the offending token and its 1-based column.
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

    private FilterParser(String text) {
        this.text = text;
        this.tokens = FilterTokenizer.tokenize(text);
    }

    /**
     * Parses a filter.
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

    private Filter parseFilter() {
        Filter prefix = null;
        Set<TcpState> included = null;
        Set<TcpState> excluded = EnumSet.noneOf(TcpState.class);
        while (peekIs("state") || peekIs("exclude")) {
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
        if (included != null || !excluded.isEmpty()) {
            Set<TcpState> s = included == null ? EnumSet.allOf(TcpState.class) : EnumSet.copyOf(included);
            s.removeAll(excluded);
            prefix = new Filter.States(s);
            if (peekIs("or") || peekIs("||") || peekIs("|")) {
                // "state close-wait or dport = :80": the state list is the left operand of the or.
                Token op = next();
                if (pos >= tokens.size()) {
                    throw error(op, "expected an expression after it");
                }
                Filter rest = parseOr();
                if (pos < tokens.size()) {
                    Token t = tokens.get(pos);
                    throw error(t, t.text().equals(")") ? "unbalanced ')'" : "unexpected token");
                }
                return new Filter.Or(prefix, rest);
            }
            if (peekIs("and") || peekIs("&&") || peekIs("&")) {
                next();
                if (pos >= tokens.size()) {
                    throw error(tokens.get(pos - 1), "expected an expression after it");
                }
            }
        }
        Filter expr = null;
        if (pos < tokens.size()) {
            expr = parseOr();
            if (pos < tokens.size()) {
                Token t = tokens.get(pos);
                throw error(t, t.text().equals(")") ? "unbalanced ')'" : "unexpected token");
            }
        }
        if (prefix == null) {
            return expr;
        }
        return expr == null ? prefix : new Filter.And(prefix, expr);
    }

    private Filter parseOr() {
        Filter left = parseAnd();
        while (peekIs("or") || peekIs("||") || peekIs("|")) {
            Token op = next();
            if (pos >= tokens.size()) {
                throw error(op, "expected an expression after it");
            }
            left = new Filter.Or(left, parseAnd());
        }
        return left;
    }

    private Filter parseAnd() {
        Filter left = parseUnary();
        while (pos < tokens.size()) {
            if (peekIs("and") || peekIs("&&") || peekIs("&")) {
                Token op = next();
                if (pos >= tokens.size()) {
                    throw error(op, "expected an expression after it");
                }
            } else if (peekIs("or") || peekIs("||") || peekIs("|") || peekIs(")")) {
                break;
            }
            left = new Filter.And(left, parseUnary());
        }
        return left;
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
                    inner = parseOr();
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
                return new Filter.Not(new Filter.States(stateSet(expectWord("a state name after 'exclude'"))));
            case "owned":
                return new Filter.Owned();
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
            case "dst":
                return parseHost(w.equals("src") ? Side.SOURCE : Side.DESTINATION, expectWord("an address after '" + w + "'"));
            case ")":
                throw error(t, "unbalanced ')'");
            default:
                if (isOperatorToken(t.text())) {
                    throw error(t, "expected an expression, not an operator");
                }
                Set<TcpState> states = stateGroupOrNull(t.text());
                if (states == null) {
                    throw error(t, "unknown word; expected a state (" + TcpState.validNames()
                            + "), a group (all, connected, synchronized, bucket, big), sport, dport, src, dst, owned, stack, not, '('");
                }
                return states.size() == ALL.size() ? Filter.ALL : new Filter.States(states);
        }
    }

    private Filter parsePort(Side side) {
        String keyword = side == Side.SOURCE ? "sport" : "dport";
        Token opToken = expectWord("a comparison after '" + keyword + "' (=, !=, <, <=, >, >=)");
        Comparison op = comparison(opToken.text());
        Token portToken;
        if (op == null) {
            // ss also accepts "sport :80" with no operator, meaning equality.
            if (opToken.text().startsWith(":")) {
                op = Comparison.EQ;
                portToken = opToken;
            } else {
                throw error(opToken, "expected a comparison after '" + keyword + "' (=, ==, !=, <, <=, >, >=, eq, ne, lt, le, gt, ge)");
            }
        } else {
            portToken = expectWord("a port after '" + keyword + " " + opToken.text() + "'");
        }
        String p = portToken.text().startsWith(":") ? portToken.text().substring(1) : portToken.text();
        return new Filter.Port(side, op, parsePortNumber(portToken, p));
    }

    private Filter parseHost(Side side, Token t) {
        String s = t.text();
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
                int colon = rest.indexOf(':');
                String prefix = colon < 0 ? rest : rest.substring(0, colon);
                addr = addr + prefix;
                rest = colon < 0 ? "" : rest.substring(colon);
            }
            if (rest.startsWith(":")) {
                port = parsePortNumber(t, rest.substring(1));
            } else if (!rest.isEmpty()) {
                throw error(t, "unexpected '" + rest + "' after ']'");
            }
        } else {
            long colons = s.chars().filter(c -> c == ':').count();
            if (colons == 1) {
                int colon = s.indexOf(':');
                addr = s.substring(0, colon);
                port = parsePortNumber(t, s.substring(colon + 1));
            } else {
                addr = s; // no colon: IPv4 or '*'; two or more: a bare IPv6 address without a port
            }
        }
        if (addr.isEmpty() || addr.equals("*")) {
            if (port == -1 && addr.isEmpty()) {
                throw error(t, "missing address");
            }
            return new Filter.Host(side, new byte[0], 0, port);
        }
        int slash = addr.indexOf('/');
        String host = slash < 0 ? addr : addr.substring(0, slash);
        byte[] bytes;
        try {
            bytes = IpAddresses.parseNumeric(host);
        } catch (IllegalArgumentException e) {
            throw error(t, "not a numeric address (" + e.getMessage() + ")");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String len = addr.substring(slash + 1);
            if (!len.matches("[0-9]{1,3}") || Integer.parseInt(len) > bytes.length * 8) {
                throw error(t, "prefix length '" + len + "' is not a number 0-" + bytes.length * 8);
            }
            prefix = Integer.parseInt(len);
        }
        return new Filter.Host(side, bytes, prefix, port);
    }

    private int parsePortNumber(Token t, String p) {
        if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) > 65535) {
            throw error(t, "'" + p + "' is not a port number 0-65535");
        }
        return Integer.parseInt(p);
    }

    private static Comparison comparison(String op) {
        switch (op.toLowerCase(Locale.ROOT)) {
            case "=": case "==": case "eq": return Comparison.EQ;
            case "!=": case "ne": case "neq": return Comparison.NE;
            case "<": case "lt": return Comparison.LT;
            case "<=": case "le": return Comparison.LE;
            case ">": case "gt": return Comparison.GT;
            case ">=": case "ge": return Comparison.GE;
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
