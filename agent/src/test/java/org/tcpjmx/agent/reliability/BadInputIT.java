package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.Attribute;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.jolokia.json.JSONObject;
import org.jolokia.json.parser.JSONParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tcpjmx.agent.cli.CommandLine;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * "Every way a user can get it wrong": a table of bad inputs, each sent to the agent in a running
 * demo server through every interface it has: JMX operations (a real JMX connection, as JConsole
 * makes one), Jolokia POST and GET (real HTTP), and the command line through the agent's URL. Each
 * answer is recorded (target/reliability/bad-input.md) and must be a clear client error: for JMX an
 * exception a client understands whose message names the bad value, for Jolokia a 400/403/404/405
 * with such a message, for the command line exit 64 (usage) or 1 with such a message. After each
 * input, this test's own connections, the demo's settings and the demo itself are as they were.
 *
 * <p>Every drop input selects only this test's own connections, or nothing, so that an input wrongly
 * accepted can only cut what the test opened (and the snapshot comparison then fails).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    private static final String CONNECTIONS = "org.tcpjmx:type=Connections";
    private static final String STATES = "org.tcpjmx:type=States";
    private static final String DROP = "org.tcpjmx:type=Drop";
    /** Settings a bad write could change; read before and after each input. */
    private static final List<String[]> SETTINGS = List.of(new String[] {CONNECTIONS, "RowLimit"},
            new String[] {STATES, "SampleIntervalMillis"}, new String[] {STATES, "TrackFirstSeen"},
            new String[] {STATES, "CloseWaitThreshold"}, new String[] {STATES, "Watching"});
    /** JMX exceptions that tell a client it asked wrongly (an IllegalArgumentException arrives wrapped in RuntimeMBeanException). */
    private static final Set<String> JMX_CLIENT_ERRORS = Set.of("IllegalArgumentException", "ReflectionException",
            "AttributeNotFoundException", "InvalidAttributeValueException", "InstanceNotFoundException", "MalformedObjectNameException");
    private static final Set<Integer> HTTP_CLIENT_ERRORS = Set.of(400, 403, 404, 405);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> table = new ArrayList<>();
    private JvmProcess demo;
    private LocalJmx jmx;
    private OwnConnections own;
    private String url;

    @BeforeAll
    void start() throws Exception {
        // dropAccess=everywhere: the JMX column sends the same bad input to the Drop MBean over JMX.
        demo = JvmProcess.demo(JvmProcess.java(), List.of(Targets.javaagent("port=0,dropAccess=everywhere")),
                Targets.quietDemo().toArray(new String[0]));
        demo.awaitReady();
        url = Targets.url(demo);
        jmx = LocalJmx.connect(demo.pid());
        own = OwnConnections.open(2);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            Targets.assertNoStackTrace(demo);
            StringBuilder md = new StringBuilder("| # | input | JMX | Jolokia POST | Jolokia GET | command line |\n|---|---|---|---|---|---|\n");
            table.forEach(row -> md.append(row).append('\n'));
            Reports.write("bad-input", md.toString());
        } finally {
            own.close();
            jmx.close();
            demo.close();
        }
    }

    /** What one interface answered. */
    record Reply(String status, String message) {
        static final Reply NOT_APPLICABLE = new Reply("n/a", "");

        String cell() {
            return this == NOT_APPLICABLE ? "n/a" : Reports.cell(status + " " + message, 110);
        }
    }

    @FunctionalInterface
    interface JmxCall {
        Object call(MBeanServerConnection server) throws Exception;
    }

    /** One bad input, as each interface takes it, and the words its answers must contain (any one). */
    static final class Input {
        final String label;
        List<String> names = List.of();
        Optional<JmxCall> jmx = Optional.empty();
        Optional<String> post = Optional.empty();
        Optional<String> get = Optional.empty();
        Optional<List<String>> cli = Optional.empty();
        Optional<String> postAccepted = Optional.empty();
        Optional<String> getUnanswered = Optional.empty();

        Input(String label) {
            this.label = label;
        }

        Input names(String... words) {
            names = List.of(words);
            return this;
        }

        /** The command line, {@code --url} inserted after the verb. */
        Input cli(String verb, String... args) {
            List<String> c = new ArrayList<>(List.of(verb, "--url", "URL"));
            c.addAll(List.of(args));
            cli = Optional.of(c);
            return this;
        }

        /** Jolokia answers this POST with a value, by design; the table says why. */
        Input acceptedOverPost(String why) {
            postAccepted = Optional.of(why);
            return this;
        }

        /** The GET gets no HTTP answer at all (the connection is closed); the table says why. */
        Input getUnanswered(String why) {
            getUnanswered = Optional.of(why);
            return this;
        }

        Input noJmx() {
            jmx = Optional.empty();
            return this;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    Stream<Input> inputs() {
        int l = own.listenerPort();
        String c = Integer.toString(own.clientPort(0));
        String lp = Integer.toString(l);
        String mine = own.filter();
        String huge = "x".repeat(100_000);
        String nested = "(".repeat(1000) + "owned" + ")".repeat(1000);
        return Stream.of(
                exec("filter: unbalanced '('", CONNECTIONS, "query", "state established and (", 10)
                        .names("state established and (").cli("table", "state established and ("),
                exec("filter: unknown state", CONNECTIONS, "query", "state bogus", 10).names("'bogus'").cli("table", "state bogus"),
                exec("filter: port 65536", CONNECTIONS, "query", "sport = :65536", 10).names("65536").cli("table", "sport = :65536"),
                exec("filter: port -1", CONNECTIONS, "query", "sport = :-1", 10).names("-1").cli("table", "sport = :-1"),
                exec("filter: port x", CONNECTIONS, "query", "dport = :x", 10).names("dport = :x").cli("table", "dport = :x"),
                exec("filter: address 999.1.1.1", CONNECTIONS, "query", "dst 999.1.1.1", 10).names("999.1.1.1").cli("table", "dst 999.1.1.1"),
                exec("filter: a host name (filters take numeric addresses)", CONNECTIONS, "query", "dst no-such-host.invalid", 10)
                        .names("no-such-host.invalid").cli("table", "dst no-such-host.invalid"),
                exec("filter: empty parentheses", CONNECTIONS, "query", "()", 10).names("empty parentheses").cli("table", "()"),
                exec("filter: 'not' alone", CONNECTIONS, "query", "not", 10).names("filter 'not'").cli("table", "not"),
                exec("filter: NUL and BEL characters", CONNECTIONS, "query", "\u0000\u0007owned", 10).names("unknown word")
                        .cli("table", "\u0000\u0007owned"),
                exec("filter: 100,000 characters", CONNECTIONS, "query", huge, 10).names("100000 characters").cli("table", huge),
                exec("filter: 1,000 nested parentheses", CONNECTIONS, "query", nested, 10).names("nested more than 64")
                        .cli("table", nested),
                exec("filter: a JSON object", CONNECTIONS, "query", Map.of("a", 1), 10).names("{\"a\":1}").noJmx(),
                exec("dropState: an ss state group ('connected')", DROP, "dropState", "connected", true).names("'connected'")
                        .cli("tcpdrop", "-l", "-s", "connected"),
                exec("limit: 'x'", CONNECTIONS, "query", "owned", "x").names("'x'", "--limit x ").cli("table", "--limit", "x", "owned"),
                exec("limit: 2147483648", CONNECTIONS, "query", "owned", 2147483648L).names("2147483648")
                        .cli("table", "--limit", "2147483648", "owned"),
                exec("limit: 1.5", CONNECTIONS, "query", "owned", 1.5).names("1.5").cli("table", "--limit", "1.5", "owned"),
                cliOnly("limit: -3 (command line; over JMX and HTTP 0 or less means no limit)", "table", "--limit", "-3").names("-3"),
                exec("limit: null", CONNECTIONS, "query", "owned", null).names("'limit' is missing"),
                exec("arguments: one missing", CONNECTIONS, "query", "owned").names("query(", "requires 2 parameters"),
                exec("arguments: one too many", CONNECTIONS, "query", "owned", 1, 2).names("query(")
                        .acceptedOverPost("Jolokia reads arguments beyond the signature as a path into the result"),
                exec("histogram: filter ends after 'sport >'", STATES, "histogram", "sport >").names("sport >").cli("states", "sport >"),
                exec("byRemoteAddress: top 'x'", STATES, "byRemoteAddress", "", "x").names("'x'"),
                exec("byLocalPort: 'stack' without a name", STATES, "byLocalPort", "stack").names("filter 'stack'"),
                exec("drop: local port 0", DROP, "drop", "127.0.0.1", 0, "127.0.0.1", l).names("'0'")
                        .cli("tcpdrop", "127.0.0.1", "0", "127.0.0.1", lp),
                exec("drop: local port -1", DROP, "drop", "127.0.0.1", -1, "127.0.0.1", l).names("'-1'")
                        .cli("tcpdrop", "127.0.0.1", "-1", "127.0.0.1", lp),
                exec("drop: foreign port 65536", DROP, "drop", "127.0.0.1", Integer.parseInt(c), "127.0.0.1", 65536).names("'65536'")
                        .cli("tcpdrop", "127.0.0.1", c, "127.0.0.1", "65536"),
                exec("drop: port 'x'", DROP, "drop", "127.0.0.1", "x", "127.0.0.1", l).names("'x'")
                        .cli("tcpdrop", "127.0.0.1", "x", "127.0.0.1", lp),
                exec("drop: address 999.1.1.1", DROP, "drop", "999.1.1.1", Integer.parseInt(c), "127.0.0.1", l).names("'999.1.1.1'")
                        .cli("tcpdrop", "999.1.1.1", c, "127.0.0.1", lp),
                exec("drop: a name that does not resolve", DROP, "drop", "no-such-host.invalid", Integer.parseInt(c), "127.0.0.1", l)
                        .names("'no-such-host.invalid'").cli("tcpdrop", "no-such-host.invalid", c, "127.0.0.1", lp),
                exec("drop: empty address", DROP, "drop", "", Integer.parseInt(c), "127.0.0.1", l).names("missing local address")
                        .cli("tcpdrop", "", c, "127.0.0.1", lp),
                exec("drop: null address", DROP, "drop", null, Integer.parseInt(c), "127.0.0.1", l).names("missing local address"),
                exec("drop: IPv4 with IPv6", DROP, "drop", "127.0.0.1", Integer.parseInt(c), "::1", l).names("same family")
                        .cli("tcpdrop", "127.0.0.1", c, "::1", lp),
                exec("drop: three arguments", DROP, "drop", "127.0.0.1", Integer.parseInt(c), "127.0.0.1")
                        .names("drop(", "requires 4 parameters", "expected 4 arguments").cli("tcpdrop", "127.0.0.1", c, "127.0.0.1"),
                exec("dropSpec: empty", DROP, "dropSpec", "").names("missing connection", "missing arguments").cli("tcpdrop"),
                exec("dropSpec: an address without its port", DROP, "dropSpec", "127.0.0.1:" + c + " 127.0.0.1")
                        .names("'127.0.0.'", "'127.0.0'").cli("tcpdrop", "127.0.0.1:" + c, "127.0.0.1"),
                exec("dropSpec: 100,000 characters", DROP, "dropSpec", "1".repeat(100_000)).names("111111"),
                exec("dropSpec: -l with a 4-tuple", DROP, "dropSpec", "-l 127.0.0.1 " + c + " 127.0.0.1 " + lp).names("-l")
                        .cli("tcpdrop", "-l", "127.0.0.1", c, "127.0.0.1", lp),
                exec("tcpdrop -a with a 4-tuple", DROP, "dropSpec", "-a 127.0.0.1 " + c + " 127.0.0.1 " + lp).names("-a")
                        .cli("tcpdrop", "-a", "127.0.0.1", c, "127.0.0.1", lp),
                exec("dropState: LISTEN", DROP, "dropState", "LISTEN", true).names("LISTEN").cli("tcpdrop", "-l", "-s", "LISTEN"),
                exec("dropState: CLOSED", DROP, "dropState", "CLOSED", true).names("CLOSED").cli("tcpdrop", "-l", "-s", "CLOSED"),
                exec("dropState: bogus", DROP, "dropState", "bogus", true).names("'bogus'").cli("tcpdrop", "-l", "-s", "bogus"),
                exec("dropState: empty", DROP, "dropState", "", true).names("missing TCP state", "state").cli("tcpdrop", "-l", "-s", ""),
                exec("dropStack: not a module name", DROP, "dropStack", "no such!", true).names("'no such!'")
                        .cli("tcpdrop", "-l", "-S", "no such!"),
                exec("dropStackState: LISTEN", DROP, "dropStackState", "cubic", "LISTEN", true).names("LISTEN")
                        .cli("tcpdrop", "-l", "-S", "cubic", "-s", "LISTEN"),
                exec("dropMatching: empty filter", DROP, "dropMatching", "", false).names("needs a filter"),
                exec("dropMatching: blank filter", DROP, "dropMatching", "   ", false).names("needs a filter"),
                exec("dropMatching: broken filter", DROP, "dropMatching", "sport = :" + lp + " and (", true).names("sport = :" + lp + " and ("),
                exec("listOnly: 'yes'", DROP, "dropMatching", mine, "yes").names("'yes'"),
                exec("listOnly: 1", DROP, "dropMatching", mine, 1).names("'1'"),
                exec("listOnly: null", DROP, "dropMatching", mine, null).names("'listOnly' is missing"),
                exec("unknown operation", DROP, "dropEverything").names("dropEverything").cli("dropEverything"),
                cliOnly("unknown tcpdrop option", "tcpdrop", "-x", "-a").names("-x"),
                read("unknown attribute", CONNECTIONS, "Bogus").names("Bogus"),
                read("unknown MBean", "org.tcpjmx:type=Nope", "Count").names("org.tcpjmx:type=Nope"),
                read("malformed MBean name (JMX: refused by the JDK before sending)", "org.tcpjmx:type", "Count")
                        .names("org.tcpjmx:type", "Unterminated key property"),
                write("write a read-only attribute", CONNECTIONS, "Count", 3L).names("Count"),
                write("write RowLimit 'x'", CONNECTIONS, "RowLimit", "x").names("'x'"),
                write("write SampleIntervalMillis 5", STATES, "SampleIntervalMillis", 5L).names("SampleIntervalMillis 5"),
                write("write TrackFirstSeen 'yes'", STATES, "TrackFirstSeen", "yes").names("'yes'"),
                jolokia("Jolokia: unknown request type", "{\"type\":\"frobnicate\",\"mbean\":\"" + STATES + "\"}", "frobnicate/" + STATES)
                        .names("frobnicate"),
                jolokia("Jolokia: exec without an operation", "{\"type\":\"exec\",\"mbean\":\"" + STATES + "\"}", "exec/" + STATES)
                        .names("No operation"),
                jolokia("Jolokia: a body that is no JSON", "{{{", "").names("JSON", "parse", "{{{"),
                jolokia("Jolokia: an empty body", "", "").names("JSON", "parse", "empty", "request"),
                exec("filter of 5,000,000 characters", CONNECTIONS, "query", "y".repeat(5_000_000), 10).names("5000000 characters")
                        .getUnanswered("the agent's HTTP server answers a request line this long with 414, naming its limit"),
                jolokia("Jolokia: a URL of 100,000 characters", "", "read/" + STATES + "/" + "z".repeat(100_000)).names("z".repeat(20)));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("inputs")
    void isAClearClientErrorEverywhereAndChangesNothing(Input input) throws Exception {
        List<String> before = own.snapshot();
        Map<String, Object> settings = settings();
        Reply jmxReply = input.jmx.isPresent() ? jmx(input) : Reply.NOT_APPLICABLE;
        Reply postReply = input.post.isPresent() ? jolokia(input, true) : Reply.NOT_APPLICABLE;
        Reply getReply = input.get.isPresent() ? jolokia(input, false) : Reply.NOT_APPLICABLE;
        Reply cliReply = input.cli.isPresent() ? cli(input) : Reply.NOT_APPLICABLE;
        table.add("| " + (table.size() + 1) + " | " + Reports.cell(input.label, 60) + " | " + jmxReply.cell() + " | " + postReply.cell()
                + " | " + getReply.cell() + " | " + cliReply.cell() + " |");

        assertEquals(before, own.snapshot(), input + ": this test's own connections are untouched");
        own.assertAlive();
        assertEquals(settings, settings(), input + ": no setting changed");
        assertTrue(demo.isAlive(), "the demo runs on");
    }

    /** The command line run as a process exits with the status the in-process run gave: the table holds for the jar too. */
    @Test
    void theCommandLineProcessExitsAsTheInProcessRunsSay() {
        AgentCli.Result usage = AgentCli.run("tcpdrop", "--url", url, "-l", "-s", "LISTEN");
        assertEquals(64, usage.status(), usage.toString());
        assertTrue(usage.err().contains("listening sockets are never dropped"), usage.toString());
        AgentCli.Result badFilter = AgentCli.run("table", "--url", url, "dst 999.1.1.1");
        assertEquals(64, badFilter.status(), badFilter.toString());
        assertTrue(badFilter.err().contains("999.1.1.1"), badFilter.toString());
        AgentCli.Result notFound = AgentCli.run("tcpdrop", "--url", url, "127.0.0.1", "1", "127.0.0.1", "1");
        assertEquals(1, notFound.status(), notFound.toString());
        assertTrue(notFound.err().contains("no such connection"), notFound.toString());
    }

    private Map<String, Object> settings() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String[] s : SETTINGS) {
            out.put(s[1], jmx.server().getAttribute(new ObjectName(s[0]), s[1]));
        }
        return out;
    }

    // ---- the interfaces ----

    private Reply jmx(Input input) {
        try {
            Object value = input.jmx.get().call(jmx.server());
            fail(input + ": JMX accepted it and answered " + value);
            return null;
        } catch (Exception e) {
            Throwable shown = e instanceof RuntimeMBeanException || e instanceof MBeanException ? e.getCause() : e;
            String type = shown.getClass().getSimpleName();
            Reply r = new Reply(type + ":", String.valueOf(shown.getMessage()));
            assertTrue(JMX_CLIENT_ERRORS.contains(type), input + ": JMX answered " + shown);
            assertNames(input, "JMX", r.message());
            return r;
        }
    }

    private Reply jolokia(Input input, boolean post) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(post ? url : url + input.get.get())).timeout(Duration.ofSeconds(60));
        if (post) {
            b.POST(HttpRequest.BodyPublishers.ofString(input.post.get()));
        }
        if (post && input.postAccepted.isPresent()) {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"status\":200"), r.body());
            return new Reply("200", "accepted: " + input.postAccepted.get());
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (!post && input.getUnanswered.isPresent()) {
                Answer version = Http.get(url + "version");
                assertEquals(200, version.jolokiaStatus(), "the agent serves the next request: " + version.body());
                return new Reply("no answer:", input.getUnanswered.get());
            }
            fail(input + ": " + (post ? "POST" : "GET") + " got no HTTP answer: " + e);
            return null;
        }
        int status = r.statusCode();
        String message = r.body();
        try {
            Object json = new JSONParser().parse(r.body());
            if (json instanceof Map) {
                Map<?, ?> m = (Map<?, ?>) json;
                status = m.get("status") instanceof Number ? ((Number) m.get("status")).intValue() : status;
                message = String.valueOf(m.get("error"));
            }
        } catch (Exception notJson) {
            // The JDK's HTTP server answers some errors itself, as text.
        }
        String where = post ? "POST" : "GET";
        if (!post && input.getUnanswered.isPresent() && r.statusCode() == 414) {
            assertTrue(message.contains("request line is longer than"), message);
            Answer version = Http.get(url + "version");
            assertEquals(200, version.jolokiaStatus(), "the agent serves the next request: " + version.body());
            return new Reply("414", input.getUnanswered.get());
        }
        assertTrue(r.statusCode() < 500 && HTTP_CLIENT_ERRORS.contains(status), input + ": " + where + " answered HTTP " + r.statusCode()
                + " " + Reports.cell(r.body(), 300));
        if (!post && status == 405) {
            // exec and write go by POST only, whatever they carry: the refusal says so, not what was wrong.
            assertTrue(message.contains("POST only"), message);
        } else {
            assertNames(input, where, message);
        }
        return new Reply(Integer.toString(status), message.replace("java.lang.IllegalArgumentException : ", "")
                .replace("javax.management.", "").replace("java.lang.", ""));
    }

    private Reply cli(Input input) {
        String[] args = input.cli.get().stream().map(a -> a.equals("URL") ? url : a).toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CommandLine.run(args, JvmProcess.agentJar(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
        assertTrue(status == 64 || status == 1, input + ": the command line exited " + status + "\n" + out + err);
        assertNames(input, "command line", err.toString(StandardCharsets.UTF_8));
        return new Reply("exit " + status + ":", message);
    }

    private static void assertNames(Input input, String where, String message) {
        assertTrue(input.names.stream().anyMatch(message::contains), input + ": the " + where + " answer names none of " + input.names
                + ": " + Reports.cell(message, 400));
    }

    // ---- the inputs ----

    /** An operation: a JMX invoke (the declared signature when the arity matches), a POST exec and a GET exec. */
    private static Input exec(String label, String mbean, String operation, Object... args) {
        Input in = new Input(label);
        in.jmx = Optional.of(s -> s.invoke(new ObjectName(mbean), operation, args, signature(s, mbean, operation, args)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "exec");
        body.put("mbean", mbean);
        body.put("operation", operation);
        body.put("arguments", Arrays.asList(args));
        in.post = Optional.of(json(body));
        StringBuilder get = new StringBuilder("exec/").append(escape(mbean)).append('/').append(escape(operation));
        for (Object a : args) {
            get.append('/').append(escape(a == null ? "[null]" : String.valueOf(a)));
        }
        in.get = Optional.of(get.toString());
        return in;
    }

    private static Input read(String label, String mbean, String attribute) {
        Input in = new Input(label);
        in.jmx = Optional.of(s -> s.getAttribute(new ObjectName(mbean), attribute));
        in.post = Optional.of(json(Map.of("type", "read", "mbean", mbean, "attribute", attribute)));
        in.get = Optional.of("read/" + escape(mbean) + "/" + escape(attribute));
        return in;
    }

    private static Input write(String label, String mbean, String attribute, Object value) {
        Input in = new Input(label);
        in.jmx = Optional.of(s -> {
            s.setAttribute(new ObjectName(mbean), new Attribute(attribute, value));
            return "set";
        });
        in.post = Optional.of(json(Map.of("type", "write", "mbean", mbean, "attribute", attribute, "value", value)));
        in.get = Optional.of("write/" + escape(mbean) + "/" + escape(attribute) + "/" + escape(String.valueOf(value)));
        return in;
    }

    private static Input jolokia(String label, String postBody, String getPath) {
        Input in = new Input(label);
        if (!getPath.isEmpty()) {
            in.get = Optional.of(getPath);
        }
        if (!getPath.startsWith("read/")) {
            in.post = Optional.of(postBody);
        }
        return in;
    }

    private static Input cliOnly(String label, String verb, String... args) {
        return new Input(label).cli(verb, args);
    }

    private static String json(Map<String, Object> body) {
        JSONObject o = new JSONObject();
        o.putAll(body);
        return o.toJSONString();
    }

    /** Jolokia's GET path escaping ('!' and '/'), then URL encoding. */
    private static String escape(String s) {
        return URLEncoder.encode(s.replace("!", "!!").replace("/", "!/"), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The signature MBeanInfo declares when the operation exists with as many parameters, else the arguments' own classes. */
    private static String[] signature(MBeanServerConnection s, String mbean, String operation, Object[] args) throws Exception {
        try {
            MBeanInfo info = s.getMBeanInfo(new ObjectName(mbean));
            for (MBeanOperationInfo op : info.getOperations()) {
                if (op.getName().equals(operation) && op.getSignature().length == args.length) {
                    return Arrays.stream(op.getSignature()).map(MBeanParameterInfo::getType).toArray(String[]::new);
                }
            }
        } catch (InstanceNotFoundException e) {
            // Sent anyway: the server answers for the missing MBean.
        }
        return Arrays.stream(args).map(a -> a == null ? String.class.getName() : a.getClass().getName()).toArray(String[]::new);
    }
}
