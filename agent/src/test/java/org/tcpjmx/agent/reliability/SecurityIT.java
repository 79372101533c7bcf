package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.jolokia.json.JSONArray;
import org.jolokia.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;
import org.tcpjmx.agent.testing.JvmProcess;
import org.tcpjmx.agent.testing.TargetJvm;

/**
 * The agent's defences as an attacker on the same host (or a web page in an operator's browser)
 * meets them, against real target JVMs. RunningAgentTest and AttachToRunningJvmIT already check a
 * read of java.lang refused, a search of *:*, the usual GET exec shapes, Origin and Referer refused,
 * basic auth with no or a wrong password, dropAll and dropSpec refused when read-only. This adds
 * what they leave out: list, wildcard reads and searches of every other domain, operations and
 * writes on the JVM's own MBeans (with their effect checked over JMX), bulk requests mixing
 * domains, more URL shapes and methods, preflights, every drop operation and every write under
 * readOnly, more ways to get credentials wrong, refusal of a non-loopback address without auth at
 * start-up and at attach, and the audit line each drop leaves in the host's log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {
    private static final String STATES = "org.tcpjmx:type=States";
    private static final String CONNECTIONS = "org.tcpjmx:type=Connections";
    private static final String DROP = "org.tcpjmx:type=Drop";
    private static final String MEMORY = "java.lang:type=Memory";
    private static final String DIAGNOSTIC = "com.sun.management:type=HotSpotDiagnostic";
    private static final String DELEGATE = "JMImplementation:type=MBeanServerDelegate";

    private JvmProcess demo;
    private int demoPort;
    private String url;

    @BeforeAll
    void start() {
        demo = JvmProcess.demo(JvmProcess.java(), List.of(Targets.javaagent("port=0")), Targets.quietDemo().toArray(new String[0]));
        demoPort = demo.awaitReady();
        url = Targets.url(demo);
    }

    @AfterAll
    void stop() {
        try {
            Targets.assertNoStackTrace(demo);
        } finally {
            demo.close();
        }
    }

    @Test
    void noOtherDomainCanBeListedSearchedOrReadEvenByWildcard() {
        for (Answer list : List.of(Http.get(url + "list"), Http.post(url, Map.of("type", "list")))) {
            assertEquals(200, list.jolokiaStatus(), list.body());
            assertEquals(List.of("org.tcpjmx"), new ArrayList<>(((Map<?, ?>) list.value()).keySet()), list.body());
        }
        for (String hidden : List.of("java.lang", "JMImplementation", "com.sun.management", "jolokia")) {
            Answer list = Http.get(url + "list/" + hidden);
            assertTrue(list.jolokiaStatus() >= 400 || ((Map<?, ?>) list.value()).isEmpty(), hidden + ": " + list.body());
            Answer search = Http.get(url + "search/" + hidden + ":*");
            assertEquals(200, search.jolokiaStatus(), search.body());
            assertEquals(List.of(), search.value(), hidden + ": " + search.body());
        }
        assertEquals(List.of(), Http.get(url + "search/*:type=Runtime").value());
        assertEquals(List.of(), Http.get(url + "search/*:type=MBeanServerDelegate").value());

        // A pattern that reaches hidden MBeans is refused as a whole, before any of their getters run.
        for (String pattern : List.of("*:*", "*:type=Runtime/Name", "java.lang:*", "jolokia:*", "*:type=Config,*")) {
            Answer wildcard = Http.get(url + "read/" + pattern);
            assertEquals(403, wildcard.jolokiaStatus(), pattern + ": " + wildcard.body());
            assertTrue(wildcard.error().contains("reaches MBeans or attributes the tcpjmx agent does not serve"), wildcard.body());
            assertFalse(wildcard.error().contains("jolokia:") || wildcard.error().contains("java.lang:"), "no hidden name: " + wildcard.body());
        }
        Answer ours = Http.get(url + "read/org.tcpjmx:*");
        assertEquals(200, ours.jolokiaStatus(), ours.body());
        assertTrue(((Map<?, ?>) ours.value()).containsKey(STATES), ours.body());
        for (String[] a : new String[][] {{DELEGATE, "MBeanServerId"}, {DIAGNOSTIC, "DiagnosticOptions"}, {MEMORY, "HeapMemoryUsage"},
            {"java.lang:type=Runtime", "SystemProperties"}}) {
            Answer read = Http.get(url + "read/" + a[0] + "/" + a[1]);
            assertEquals(403, read.jolokiaStatus(), a[0] + ": " + read.body());
            assertFalse(read.body().contains("java.home"), read.body());
            Answer posted = Http.post(url, Http.read(a[0], a[1]));
            assertEquals(403, posted.jolokiaStatus(), a[0] + ": " + posted.body());
        }
    }

    @Test
    void theJvmsOwnOperationsAndAttributesCannotBeReachedAndNothingHappens(@TempDir Path dir) throws Exception {
        Path dump = dir.resolve("stolen.hprof");
        Answer heapDump = Http.post(url, Http.exec(DIAGNOSTIC, "dumpHeap", dump.toString(), true));
        assertEquals(403, heapDump.jolokiaStatus(), heapDump.body());
        assertEquals(403, Http.post(url, Http.exec(MEMORY, "gc")).jolokiaStatus());
        assertEquals(403, Http.post(url, Http.exec(DIAGNOSTIC, "setVMOption", "PrintConcurrentLocks", "true")).jolokiaStatus());
        Answer verbose = Http.post(url, Map.of("type", "write", "mbean", MEMORY, "attribute", "Verbose", "value", true));
        assertEquals(403, verbose.jolokiaStatus(), verbose.body());
        // Jolokia itself asks no restrictor about these two types: the agent refuses them before Jolokia's handlers.
        for (Map<String, Object> other : List.of(Map.<String, Object>of("type", "notification", "command", "register"),
                Map.<String, Object>of("type", "notification", "command", "list", "client", "x"), Map.<String, Object>of("type", "config"))) {
            Answer refused = Http.post(url, other);
            assertEquals(403, refused.jolokiaStatus(), refused.body());
            assertTrue(refused.error().contains("requests are not served by the tcpjmx agent"), refused.body());
        }

        assertFalse(Files.exists(dump), "no heap dump was written");
        try (LocalJmx jmx = LocalJmx.connect(demo.pid())) {
            assertEquals(Boolean.FALSE, jmx.server().getAttribute(new ObjectName(MEMORY), "Verbose"), "Verbose was not switched on");
            Object option = jmx.server().invoke(new ObjectName(DIAGNOSTIC), "getVMOption", new Object[] {"PrintConcurrentLocks"},
                    new String[] {String.class.getName()});
            assertTrue(String.valueOf(option).contains("value=false"), String.valueOf(option));
        }
    }

    @Test
    void oneBulkRequestCannotReachOutsideOrgTcpjmx(@TempDir Path dir) throws Exception {
        Path dump = dir.resolve("bulk.hprof");
        JSONArray bulk = new JSONArray();
        bulk.add(request(Http.read(STATES, "Total")));
        bulk.add(request(Http.read("java.lang:type=Runtime", "Name")));
        bulk.add(request(Http.exec(MEMORY, "gc")));
        bulk.add(request(Map.of("type", "write", "mbean", MEMORY, "attribute", "Verbose", "value", true)));
        bulk.add(request(Http.exec(DIAGNOSTIC, "dumpHeap", dump.toString(), true)));
        bulk.add(request(Http.read(DELEGATE, "MBeanServerId")));
        bulk.add(request(Map.of("type", "search", "mbean", "*:*")));
        bulk.add(request(Map.of("type", "read", "mbean", "*:type=Runtime")));
        bulk.add(request(Http.exec(CONNECTIONS, "query", "src 127.0.0.1:" + demoPort + " and state listening", 0)));
        HttpResponse<String> r = RawHttp.send("POST", url, bulk.toJSONString());
        assertEquals(200, r.statusCode(), r.body());
        List<?> answers = (List<?>) RawHttp.json(r);
        assertEquals(bulk.size(), answers.size(), r.body());
        assertEquals(200, RawHttp.status(answers.get(0)), r.body());
        for (int i = 1; i <= 5; i++) {
            assertEquals(403, RawHttp.status(answers.get(i)), "request " + i + ": " + answers.get(i));
        }
        for (Object name : (List<?>) ((Map<?, ?>) answers.get(6)).get("value")) {
            assertTrue(String.valueOf(name).startsWith("org.tcpjmx:"), "the bulk search shows " + name);
        }
        Map<?, ?> pattern = (Map<?, ?>) answers.get(7);
        assertTrue(RawHttp.status(pattern) >= 400 || ((Map<?, ?>) pattern.get("value")).isEmpty(), String.valueOf(pattern));
        assertEquals(200, RawHttp.status(answers.get(8)), "the org.tcpjmx part is served: " + answers.get(8));
        assertFalse(Files.exists(dump));
        try (LocalJmx jmx = LocalJmx.connect(demo.pid())) {
            assertEquals(Boolean.FALSE, jmx.server().getAttribute(new ObjectName(MEMORY), "Verbose"));
        }
    }

    @Test
    void noUrlShapeOrMethodMakesAGetExecOrWrite() {
        String query = "org.tcpjmx:type=Connections/query/owned/1";
        for (String get : List.of("EXEC/" + query, "Exec/" + query, "/exec/" + query, "exec/" + query + "?ignoreErrors=true",
                "?p=EXEC/" + query, "?maxDepth=1&p=/exec/" + query, "write/" + STATES + "/SampleIntervalMillis/100",
                "WRITE/" + CONNECTIONS + "/RowLimit/1", "exec/" + DROP + "/dropAll/false")) {
            Answer a = Http.get(url + get);
            assertEquals(405, a.status(), get + " -> " + a.body());
        }
        for (String method : List.of("PUT", "DELETE", "PATCH", "HEAD", "TRACE")) {
            HttpResponse<String> r = RawHttp.send(method, url + "read/" + STATES + "/Total", "");
            assertEquals(405, r.statusCode(), method + " -> " + r.body());
        }
        Answer settings = Http.get(url + "read/" + STATES + "/SampleIntervalMillis");
        assertEquals(5000L, ((Number) settings.value()).longValue(), "no write went through: " + settings.body());
        Answer rowLimit = Http.get(url + "read/" + CONNECTIONS + "/RowLimit");
        assertEquals(10000L, ((Number) rowLimit.value()).longValue(), rowLimit.body());
    }

    @Test
    void webPagesAreRefusedAndNoAnswerCarriesAWildcardOrigin() {
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:" + demoPort, "*")) {
            HttpResponse<String> preflight = RawHttp.send("OPTIONS", url, "", "Origin", origin, "Access-Control-Request-Method", "POST");
            assertEquals(403, preflight.statusCode(), origin + ": " + preflight.body());
            HttpResponse<String> post = RawHttp.send("POST", url, request(Http.exec(DROP, "dropAll", true)).toJSONString(), "Origin", origin,
                    "Content-Type", "text/plain");
            // Jolokia's own shape for a refusal (HTTP 200, status 403 inside), which hawtio does not take for bad credentials.
            assertEquals(200, post.statusCode(), origin + ": " + post.body());
            assertEquals(403, RawHttp.status(RawHttp.json(post)), origin + ": " + post.body());
            assertFalse(post.headers().firstValue("Access-Control-Allow-Origin").isPresent(), post.headers().map().toString());
        }
        List<HttpResponse<String>> answers = List.of(RawHttp.send("GET", url + "read/" + STATES + "/Total", ""),
                RawHttp.send("GET", url + "read/" + STATES + "/Bogus", ""), RawHttp.send("GET", url + "exec/" + DROP + "/dropAll/true", ""),
                RawHttp.send("OPTIONS", url, ""), RawHttp.send("POST", url, "{{{"),
                RawHttp.send("POST", url, request(Http.read(STATES, "Total")).toJSONString()));
        // Answered by the agent before Jolokia, which would allow "*": no CORS header, nothing to disclose.
        HttpResponse<String> options = answers.get(3);
        assertEquals(200, options.statusCode(), options.body());
        assertEquals(List.of("GET, POST, OPTIONS"), options.headers().allValues("Allow"));
        for (HttpResponse<String> r : answers) {
            assertFalse(r.headers().allValues("Access-Control-Allow-Origin").contains("*"), r.uri() + " " + r.headers().map());
            assertFalse(r.headers().firstValue("Access-Control-Allow-Origin").isPresent(), r.uri() + " " + r.headers().map());
        }
    }

    @Test
    void eachDropLeavesAnAuditLineInTheHostsLog() throws Exception {
        try (Socket a = new Socket(InetAddress.getByName("127.0.0.1"), demoPort);
             Socket b = new Socket(InetAddress.getByName("127.0.0.1"), demoPort)) {
            echo(a);
            echo(b);
            int before = demo.stderr().size();
            Answer one = Http.post(url, Http.exec(DROP, "dropSpec", "127.0.0.1:" + demoPort + " 127.0.0.1:" + a.getLocalPort()));
            assertEquals(1L, ((Number) ((Map<?, ?>) one.value()).get("dropped")).longValue(), one.body());
            Answer gone = Http.post(url, Http.exec(DROP, "dropSpec", "127.0.0.1:" + demoPort + " 127.0.0.1:" + a.getLocalPort()));
            assertEquals(1L, ((Number) ((Map<?, ?>) gone.value()).get("failed")).longValue(), gone.body());
            Answer bulk = Http.post(url, Http.exec(DROP, "dropMatching", "src 127.0.0.1:" + demoPort + " and dst 127.0.0.1:" + b.getLocalPort(), false));
            assertEquals(1L, ((Number) ((Map<?, ?>) bulk.value()).get("dropped")).longValue(), bulk.body());

            String served = " " + demoPort + " ::ffff:127.0.0.1 ";
            demo.awaitErr(l -> l.matches("(INFO: )?tcpdrop .*") && l.contains(served + a.getLocalPort() + " [ESTABLISHED]: DROPPED"), 5);
            demo.awaitErr(l -> l.matches("(INFO: )?tcpdrop .*") && l.contains(a.getLocalPort() + " [-]: NOT_FOUND"), 5);
            demo.awaitErr(l -> l.matches("(INFO: )?tcpdrop .*") && l.contains(served + b.getLocalPort() + " [ESTABLISHED]: DROPPED"), 5);
            // A record holds one line per drop; a bulk drop's record may hold many (continuation lines have no level).
            long auditLines = demo.stderr().subList(before, demo.stderr().size()).stream().filter(l -> l.matches("(INFO: )?tcpdrop .*")).count();
            assertEquals(3, auditLines, "one line per drop attempt: " + demo.stderr().subList(before, demo.stderr().size()));
        }
    }

    @Test
    void readOnlyRefusesEveryDropAndEveryWriteAndBasicAuthEveryWrongCredential() {
        try (JvmProcess guarded = JvmProcess.demo(JvmProcess.java(), List.of(Targets.javaagent("port=0,readOnly=true,user=ops,password=s3cret")),
                Targets.quietDemo().toArray(new String[0]))) {
            int port = guarded.awaitReady();
            String u = Targets.url(guarded);
            String[] auth = Http.basic("ops", "s3cret");
            for (String[] wrong : List.of(new String[0], Http.basic("ops", "wrong"), Http.basic("root", "s3cret"), Http.basic("ops", ""),
                    Http.basic("", ""), new String[] {"Authorization", "Basic !!!not-base64"}, new String[] {"Authorization", "Bearer s3cret"},
                    new String[] {"Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("ops".getBytes(StandardCharsets.UTF_8))})) {
                Answer get = Http.get(u + "read/" + STATES + "/Total", wrong);
                assertEquals(401, get.status(), String.join(" ", wrong) + ": " + get.body());
                assertTrue(get.headers().getOrDefault("www-authenticate", List.of()).toString().contains("Basic"), get.headers().toString());
                Answer post = Http.post(u, Http.exec(DROP, "dropAll", true), wrong);
                assertEquals(401, post.status(), String.join(" ", wrong) + ": " + post.body());
            }
            assertEquals(200, Http.get(u + "read/" + STATES + "/Total", auth).jolokiaStatus());

            String tuple = "127.0.0.1:" + port + " 127.0.0.1:1";
            List<Map<String, Object>> drops = List.of(Http.exec(DROP, "drop", "127.0.0.1", port, "127.0.0.1", 1),
                    Http.exec(DROP, "dropSpec", tuple), Http.exec(DROP, "dropAll", true), Http.exec(DROP, "dropState", "CLOSE_WAIT", true),
                    Http.exec(DROP, "dropStack", "cubic", true), Http.exec(DROP, "dropStackState", "cubic", "CLOSE_WAIT", true),
                    Http.exec(DROP, "dropMatching", "src 127.0.0.1:" + port, true));
            for (Map<String, Object> drop : drops) {
                Answer a = Http.post(u, drop, auth);
                assertEquals(403, a.jolokiaStatus(), drop.get("operation") + ": " + a.body());
            }
            for (Object[] w : new Object[][] {{CONNECTIONS, "RowLimit", 1}, {STATES, "SampleIntervalMillis", 100}, {STATES, "TrackFirstSeen", true},
                {STATES, "CloseWaitThreshold", 1}}) {
                Answer a = Http.post(u, Map.of("type", "write", "mbean", w[0], "attribute", w[1], "value", w[2]), auth);
                assertEquals(403, a.jolokiaStatus(), w[1] + ": " + a.body());
            }
            JSONArray bulk = new JSONArray();
            bulk.add(request(Http.read(STATES, "Total")));
            bulk.add(request(Http.exec(DROP, "dropSpec", tuple)));
            List<?> answers = (List<?>) RawHttp.json(RawHttp.send("POST", u, bulk.toJSONString(), auth));
            assertEquals(200, RawHttp.status(answers.get(0)), answers.toString());
            assertEquals(403, RawHttp.status(answers.get(1)), "a drop inside a bulk request is refused too: " + answers);

            assertEquals(10000L, ((Number) Http.get(u + "read/" + CONNECTIONS + "/RowLimit", auth).value()).longValue());
            assertEquals(Boolean.FALSE, Http.get(u + "read/" + STATES + "/TrackFirstSeen", auth).value());
            Answer query = Http.post(u, Http.exec(CONNECTIONS, "query", "src 127.0.0.1:" + port, 0), auth);
            assertEquals(200, query.jolokiaStatus(), "reads and queries still work: " + query.body());
            assertFalse(guarded.stderr().stream().anyMatch(l -> l.contains("s3cret")), "the password never reaches the log");
            Targets.assertNoStackTrace(guarded);
        }
    }

    @Test
    void aNonLoopbackAddressWithoutAuthIsRefusedAtStartUpAndAtAttachAndTheApplicationRunsOn() throws Exception {
        try (JvmProcess exposed = JvmProcess.demo(JvmProcess.java(), List.of(Targets.javaagent("host=0.0.0.0,port=0")),
                Targets.quietDemo().toArray(new String[0]))) {
            int port = exposed.awaitReady();
            String refusal = exposed.awaitErr(l -> l.startsWith("tcpjmx-agent: not started:"), 10);
            assertTrue(refusal.contains("refusing to serve host=0.0.0.0") && refusal.contains("auth=none"), refusal);
            Targets.assertServes(port);
            assertEquals(List.of(), TargetJvm.agentThreads(exposed.pid()), "nothing serves HTTP");
            AgentCli.Result status = AgentCli.run("status", exposed.pid());
            assertEquals(1, status.status(), status.toString());
            assertTrue(status.out().contains("failed: refusing to serve host=0.0.0.0"), status.toString());

            // Straight through the attach API, past the command line's own check of the options.
            VirtualMachine vm = VirtualMachine.attach(exposed.pid());
            try {
                vm.loadAgent(JvmProcess.agentJar(), "host=::,port=0");
            } finally {
                vm.detach();
            }
            exposed.awaitErr(l -> l.startsWith("tcpjmx-agent: not started: refusing to serve host=::"), 10);
            Targets.assertServes(port);
            assertEquals(List.of(), TargetJvm.agentThreads(exposed.pid()));
            assertTrue(TargetJvm.mbeans(exposed.pid(), "org.tcpjmx:*").isEmpty(), "no MBean registered either");
            Targets.assertNoStackTrace(exposed);
        }
    }

    private static JSONObject request(Map<String, Object> r) {
        JSONObject o = new JSONObject();
        o.putAll(r);
        return o;
    }

    private static void echo(Socket s) throws Exception {
        s.setSoTimeout(10_000);
        s.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("hi", new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine());
    }
}
