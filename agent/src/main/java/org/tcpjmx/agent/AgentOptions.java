package org.tcpjmx.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
 * @param dropAccess where the drop operations are reachable: only through the agent's own Jolokia
 *     endpoint (default), or through every JMX surface of the JVM
 * @param trackOrigins whether to record where this JVM's sockets are opened from the start
 *     ({@code trackOrigins=true}; {@code Agent.TrackOrigins} switches it later)
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
        DropAccess dropAccess,
        boolean trackOrigins) {

    /** Default bind address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port, Jolokia's. */
    public static final int DEFAULT_PORT = 8778;
    /** Every key the agent understands. */
    public static final List<String> KEYS = List.of("host", "port", "jolokia", "user", "password", "readOnly", "policy", "auth", "dropAccess", "trackOrigins");

    /** The options without origin tracking. */
    public AgentOptions(String host, int port, boolean jolokia, String user, String password, boolean readOnly,
                        Optional<Path> policy, boolean authNone, DropAccess dropAccess) {
        this(host, port, jolokia, user, password, readOnly, policy, authNone, dropAccess, false);
    }

    public AgentOptions {
        if (host == null || user == null || password == null || policy == null || dropAccess == null) {
            throw new IllegalArgumentException("agent options have no null fields");
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
            for (String k : List.of("host", "port", "user", "password", "policy", "auth")) {
                if (given.containsKey(k)) {
                    throw new IllegalArgumentException("jolokia=false serves no HTTP, so " + k + "= does not apply; drop it or jolokia=false");
                }
            }
        }
        DropAccess dropAccess = DropAccess.parse(given.getOrDefault("dropAccess", DropAccess.AGENT.value()));
        boolean trackOrigins = parseBoolean("trackOrigins", given.getOrDefault("trackOrigins", "false"));
        AgentOptions options = new AgentOptions(host, port, jolokia, user, password, readOnly, policy, auth.equals("none"), dropAccess,
                trackOrigins);
        if (jolokia && user.isEmpty() && !options.authNone() && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to serve host=" + host + " (not a loopback address) without authentication: anyone who"
                    + " reaches that port could read the TCP table and drop connections. Give user= and password=, or auth=none to accept it");
        }
        return options;
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
                + ",dropAccess=" + dropAccess.value() + (trackOrigins ? ",trackOrigins=true" : "");
    }

    private static Map<String, String> split(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isBlank()) {
            return out;
        }
        for (String part : text.split(",", -1)) {
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
            if (out.put(key, part.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("option '" + key + "' given twice");
            }
        }
        return out;
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
