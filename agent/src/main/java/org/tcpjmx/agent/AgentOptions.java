package org.tcpjmx.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tcpjmx.jmx.AnswerBudget;
import org.tcpjmx.platform.TableSnapshots;

/**
 * The agent's options, {@code key=value,key=value}, the same for {@code -javaagent:jar=OPTIONS} and
 * for attach.
 *
 * @param host address the Jolokia HTTP server binds to
 * @param port its port; 0 picks a free one
 * @param jolokia whether to serve HTTP at all ({@code false}: register the MBeans only)
 * @param user HTTP basic auth user, empty for none
 * @param password HTTP basic auth password, empty for none
 * @param readOnly whether drop operations are refused
 * @param policy a Jolokia access policy file replacing the built-in MBean visibility rules
 * @param authNone whether {@code auth=none} was given: serve a non-loopback address without auth
 * @param answerBudget {@code answerBudget=}: heap the answers may hold at once, bytes; 0 for the
 *     default (10% of the max heap, at most 64 MiB)
 * @param dropAccess where the drop operations are reachable: only through the agent's own Jolokia
 *     endpoint (default), or through every JMX surface of the JVM
 * @param trackOrigins whether to record where this JVM's sockets are opened from the start
 *     ({@code trackOrigins=true}; {@code Agent.TrackOrigins} switches it later)
 * @param snapshotMaxAgeMillis {@code snapshotMaxAge=}: {@code States.SnapshotMaxAgeMillis} from the start,
 *     milliseconds; -1 leaves the default
 * @param walkBudgetPercent {@code walkBudget=}: {@code States.WalkBudgetPercent} from the start; -1
 *     leaves the default
 * @param http HTTP limits, admitted web origins and HTTPS ({@code maxConnections}, {@code requestTimeout},
 *     {@code idleTimeout}, {@code allowOrigin}, {@code protocol}, {@code keystore}, {@code keystorePassword},
 *     {@code useSslClientAuthentication}, {@code insecureAuth})
 */
public record AgentOptions(
        String host,
        int port,
        boolean jolokia,
        String user,
        String password,
        boolean readOnly,
        Optional<Path> policy,
        boolean authNone,
        long answerBudget,
        DropAccess dropAccess,
        HttpOptions http,
        boolean trackOrigins,
        long snapshotMaxAgeMillis,
        int walkBudgetPercent) {

    /** Default bind address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port, Jolokia's. */
    public static final int DEFAULT_PORT = 8778;
    /** Every key the agent understands. */
    public static final List<String> KEYS = List.of("host", "port", "jolokia", "user", "password", "readOnly", "policy", "auth", "dropAccess",
            "maxConnections", "requestTimeout", "idleTimeout", "allowOrigin", "protocol", "keystore", "keystorePassword",
            "useSslClientAuthentication", "insecureAuth", "answerBudget", "trackOrigins", "snapshotMaxAge",
            "walkBudget");
    /** The keys that configure HTTP, meaningless with {@code jolokia=false}. */
    private static final List<String> HTTP_KEYS = List.of("host", "port", "user", "password", "policy", "auth",
            "maxConnections", "requestTimeout", "idleTimeout", "allowOrigin", "protocol", "keystore", "keystorePassword",
            "useSslClientAuthentication", "insecureAuth");

    public AgentOptions {
        if (host == null || user == null || password == null || policy == null || dropAccess == null || http == null) {
            throw new IllegalArgumentException("agent options have no null fields");
        }
        if (answerBudget < 0) {
            throw new IllegalArgumentException("answerBudget is 0 (the default) or a size in bytes, not " + answerBudget);
        }
    }

    /** Every option at its default: loopback, port 8778, Jolokia on, drops allowed through it only, no auth. */
    public static AgentOptions defaults() {
        return parse("");
    }

    /**
     * Parses {@code key=value,key=value}.
     *
     * @throws IllegalArgumentException naming the bad key or value and what is valid
     */
    public static AgentOptions parse(String text) {
        Map<String, String> given = split(text == null ? "" : text);
        String host = given.getOrDefault("host", DEFAULT_HOST).trim();
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host= is empty; give an address such as 127.0.0.1, ::1 or 0.0.0.0");
        }
        int port = parsePort(given.getOrDefault("port", Integer.toString(DEFAULT_PORT)));
        boolean jolokia = parseBoolean("jolokia", given.getOrDefault("jolokia", "true"));
        boolean readOnly = parseBoolean("readOnly", given.getOrDefault("readOnly", "false"));
        String user = given.getOrDefault("user", "");
        String password = given.getOrDefault("password", "");
        if (user.isEmpty() != password.isEmpty()) {
            throw new IllegalArgumentException("user= and password= go together; give both (HTTP basic auth) or neither");
        }
        String auth = given.getOrDefault("auth", "").trim().toLowerCase(Locale.ROOT);
        if (!auth.isEmpty() && !auth.equals("none") && !auth.equals("basic")) {
            throw new IllegalArgumentException("auth='" + given.get("auth") + "' is not valid; use auth=none (no authentication, explicitly) or auth=basic (with user= and password=)");
        }
        if (auth.equals("basic") && user.isEmpty()) {
            throw new IllegalArgumentException("auth=basic needs user= and password=");
        }
        if (auth.equals("none") && !user.isEmpty()) {
            throw new IllegalArgumentException("auth=none contradicts user=" + user + "; drop one of them");
        }
        Optional<Path> policy = Optional.empty();
        if (given.containsKey("policy")) {
            Path p = Paths.get(given.get("policy").trim());
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new IllegalArgumentException("policy=" + given.get("policy") + " is not a readable file; give the path of a Jolokia access policy (XML)");
            }
            policy = Optional.of(p.toAbsolutePath());
        }
        if (!jolokia) {
            for (String k : HTTP_KEYS) {
                if (given.containsKey(k)) {
                    throw new IllegalArgumentException("jolokia=false serves no HTTP, so " + k + "= does not apply; drop it or jolokia=false");
                }
            }
        }
        long answerBudget = given.containsKey("answerBudget") ? parseSize(given.get("answerBudget")) : 0;
        DropAccess dropAccess = DropAccess.parse(given.getOrDefault("dropAccess", DropAccess.AGENT.value()));
        HttpOptions http = http(given);
        AgentOptions options = new AgentOptions(host, port, jolokia, user, password, readOnly, policy, auth.equals("none"),
                answerBudget, dropAccess, http,
                parseBoolean("trackOrigins", given.getOrDefault("trackOrigins", "false")),
                given.containsKey("snapshotMaxAge") ? parseBounded("snapshotMaxAge", given.get("snapshotMaxAge"),
                        TableSnapshots.MAX_MAX_AGE_MILLIS, "milliseconds; 0 switches sharing off") : -1,
                given.containsKey("walkBudget") ? (int) parseBounded("walkBudget", given.get("walkBudget"),
                        TableSnapshots.MAX_WALK_BUDGET_PERCENT, "percent of one core; 0 switches the budget off") : -1);
        if (jolokia && user.isEmpty() && !options.authNone() && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to serve host=" + host + " (not a loopback address) without authentication: anyone who"
                    + " reaches that port could read the TCP table and drop connections. Give user= and password=, or auth=none to accept it");
        }
        if (jolokia && !user.isEmpty() && http.tls().isEmpty() && !http.insecureAuth() && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing user= and password= over plain HTTP on host=" + host + " (not a loopback address):"
                    + " every request would carry the password in clear text to anyone on the network path. Give protocol=https with"
                    + " keystore= and keystorePassword=, or insecureAuth=true to accept that risk");
        }
        return options;
    }

    private static HttpOptions http(Map<String, String> given) {
        int maxConnections = parseCount("maxConnections", given.get("maxConnections"), HttpOptions.DEFAULT_MAX_CONNECTIONS, 10_000);
        int requestTimeout = parseCount("requestTimeout", given.get("requestTimeout"), HttpOptions.DEFAULT_REQUEST_TIMEOUT_SECONDS, 3600);
        int idleTimeout = parseCount("idleTimeout", given.get("idleTimeout"), HttpOptions.DEFAULT_IDLE_TIMEOUT_SECONDS, 3600);
        List<String> origins = new ArrayList<>();
        if (given.containsKey("allowOrigin")) {
            for (String o : given.get("allowOrigin").split(ORIGIN_SEPARATOR, -1)) {
                origins.add(origin(o.trim()));
            }
        }
        String protocol = given.getOrDefault("protocol", "http").trim().toLowerCase(Locale.ROOT);
        if (!protocol.equals("http") && !protocol.equals("https")) {
            throw new IllegalArgumentException("protocol='" + given.get("protocol") + "' is not valid; use protocol=http or protocol=https");
        }
        boolean clientCerts = parseBoolean("useSslClientAuthentication", given.getOrDefault("useSslClientAuthentication", "false"));
        Optional<HttpOptions.Tls> tls = Optional.empty();
        if (protocol.equals("https")) {
            if (!given.containsKey("keystore") || !given.containsKey("keystorePassword")) {
                throw new IllegalArgumentException("protocol=https needs keystore=FILE (PKCS12 or JKS, with the server's key) and keystorePassword=");
            }
            Path ks = Paths.get(given.get("keystore").trim());
            if (!Files.isRegularFile(ks) || !Files.isReadable(ks)) {
                throw new IllegalArgumentException("keystore=" + given.get("keystore") + " is not a readable file; give a PKCS12 or JKS keystore");
            }
            tls = Optional.of(new HttpOptions.Tls(ks.toAbsolutePath(), given.get("keystorePassword"), clientCerts));
        } else {
            for (String k : List.of("keystore", "keystorePassword", "useSslClientAuthentication")) {
                if (given.containsKey(k)) {
                    throw new IllegalArgumentException(k + "= applies to protocol=https only; add protocol=https or drop " + k + "=");
                }
            }
        }
        boolean insecureAuth = parseBoolean("insecureAuth", given.getOrDefault("insecureAuth", "false"));
        return new HttpOptions(maxConnections, requestTimeout, idleTimeout, origins, tls, insecureAuth);
    }

    /** Origins in {@code allowOrigin=} are separated by commas, like options; see {@link #split}. */
    private static final String ORIGIN_SEPARATOR = "\\n";

    /** A web origin exactly as browsers send it: scheme://host[:port], no path, no wildcard. */
    private static String origin(String o) {
        java.net.URI u;
        try {
            u = new java.net.URI(o);
        } catch (java.net.URISyntaxException e) {
            u = null;
        }
        boolean ok = u != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                && u.getRawUserInfo() == null && (u.getRawPath() == null || u.getRawPath().isEmpty()) && u.getRawQuery() == null
                && u.getRawFragment() == null && !o.contains("*");
        if (!ok) {
            throw new IllegalArgumentException("allowOrigin='" + o + "' is not a web origin; give scheme://host:port as the browser"
                    + " sends it in Origin (for instance http://localhost:8080), several separated by commas, no wildcard");
        }
        return o;
    }

    /** A whole number from {@code min} to {@code max}; the error names the key, the value and the range. */
    private static long parseWhole(String key, String value, long min, long max, String unit) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException(key + "='" + value + "' is not valid; use a whole number from " + min + " to " + max
                + (unit.isEmpty() ? "" : " (" + unit + ")"));
    }

    private static long parseBounded(String key, String value, long max, String unit) {
        return parseWhole(key, value, 0, max, unit);
    }

    private static int parseCount(String key, String value, int dflt, int max) {
        return value == null ? dflt : (int) parseWhole(key, value, 1, max, "");
    }

    /** Whether HTTP basic auth is on. */
    public boolean authenticated() {
        return !user.isEmpty();
    }

    /** The options for logs: the password is never shown. */
    @Override
    public String toString() {
        return "host=" + host + ",port=" + port + ",jolokia=" + jolokia + (user.isEmpty() ? "" : ",user=" + user + ",password=***")
                + ",readOnly=" + readOnly + policy.map(p -> ",policy=" + p).orElse("") + (authNone ? ",auth=none" : "")
                + ",dropAccess=" + dropAccess.value() + (answerBudget > 0 ? ",answerBudget=" + answerBudget : "")
                + ",maxConnections=" + http.maxConnections() + ",requestTimeout=" + http.requestTimeoutSeconds()
                + ",idleTimeout=" + http.idleTimeoutSeconds()
                + (http.allowedOrigins().isEmpty() ? "" : ",allowOrigin=" + String.join(",", http.allowedOrigins()))
                + http.tls().map(t -> ",protocol=https," + t).orElse("") + (http.insecureAuth() ? ",insecureAuth=true" : "")
                + (trackOrigins ? ",trackOrigins=true" : "")
                + (snapshotMaxAgeMillis >= 0 ? ",snapshotMaxAge=" + snapshotMaxAgeMillis : "")
                + (walkBudgetPercent >= 0 ? ",walkBudget=" + walkBudgetPercent : "");
    }

    private static Map<String, String> split(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isBlank()) {
            return out;
        }
        String last = null;
        for (String part : text.split(",", -1)) {
            if ("allowOrigin".equals(last) && !part.contains("=") && part.contains("://")) {
                // allowOrigin=http://a:1,http://b:2: an origin holds no '=', so a part without one continues the list.
                out.put(last, out.get(last) + "\n" + part);
                continue;
            }
            if (part.isBlank()) {
                throw new IllegalArgumentException("empty option in '" + text + "'; options are key=value separated by commas, keys " + KEYS);
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("option '" + part.trim() + "' is not key=value; keys are " + KEYS);
            }
            String key = part.substring(0, eq).trim();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; valid keys are " + KEYS);
            }
            last = key;
            if (out.put(key, part.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("option '" + key + "' given twice");
            }
        }
        return out;
    }

    /** {@code 32m}, {@code 512k}, {@code 1g} or bytes; at least {@link AnswerBudget#MIN_BYTES}. */
    private static long parseSize(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
            unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1L << 30;
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Math.multiplyExact(Long.parseLong(v), unit);
            if (n >= AnswerBudget.MIN_BYTES) {
                return n;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException("answerBudget='" + value + "' is not a size of at least "
                + (AnswerBudget.MIN_BYTES >> 10) + "k; give bytes or a number with k, m or g, e.g. answerBudget=32m");
    }

    private static int parsePort(String value) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException("port='" + value + "' is not a port; use 0 (any free port) to 65535");
    }

    private static boolean parseBoolean(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + "='" + value + "' is not a boolean; use true or false");
    }

    private static boolean isLoopback(String host) {
        try {
            // Literal addresses need no lookup; a name such as "localhost" is resolved like the bind will be.
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host=" + host + " does not resolve; give an address such as 127.0.0.1", e);
        }
    }
}
