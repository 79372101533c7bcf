package org.tcpjmx.agent.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jolokia.json.JSONArray;
import org.jolokia.json.JSONObject;
import org.jolokia.json.parser.JSONParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.AgentCli;
import org.tcpjmx.agent.testing.ExternalTools;

/**
 * jolokia.js 2.6.1 from npm, in Node.js, against the agent in the demo: a read by GET (its
 * default), an exec by GET refused with an answer that says how to POST it, the same exec with
 * {@code method: "post"}, and a bulk request with a list-only drop. The connection the test uses is
 * its own CLOSE_WAIT connection, selected by its full 4-tuple.
 */
class JolokiaJsClientIT {
    private static final String JOLOKIA_JS = "2.6.1";

    @Test
    void jolokiaJsReadsExecsByPostAndIsToldHowWhenItSendsAnExecByGet() throws Exception {
        Path node = ExternalTools.require("node", "the jolokia.js client test is skipped (it needs Node.js 18+ with npm)");
        Path client = installClient(ExternalTools.require("npm", "the jolokia.js client test is skipped (it needs Node.js 18+ with npm)"));
        try (RecipeDemo demo = RecipeDemo.start(List.of(), "--port", "0", "--clients", "0", "--idle", "0", "--leak-close-wait", "1")) {
            int clientPort = demo.leakCloseWait(1).get(0);
            String filter = "state close-wait and src 127.0.0.1:" + demo.leakPort + " and dst 127.0.0.1:" + clientPort;
            AgentCli.Result run = AgentCli.exec(List.of(node.toString(), client.resolve("client.mjs").toString(), demo.url, filter),
                    Map.of());
            assertEquals(0, run.status(), run.out() + run.err());
            Map<String, Object> steps = new HashMap<>();
            for (String line : run.out().lines().toList()) {
                JSONObject step = (JSONObject) new JSONParser().parse(line);
                steps.put((String) step.get("step"), step.get("value"));
            }

            JSONObject read = (JSONObject) steps.get("read");
            assertEquals(200L, ((Number) read.get("status")).longValue(), read.toString());
            assertTrue(((Number) ((JSONObject) read.get("value")).get("CLOSE_WAIT")).longValue() >= 1, read.toString());

            JSONObject byGet = (JSONObject) steps.get("execByGet");
            assertEquals(405L, ((Number) byGet.get("httpStatus")).longValue(), byGet.toString());
            String error = (String) ((JSONObject) byGet.get("body")).get("error");
            assertTrue(error.contains("by POST only") && error.contains("method: \"post\""), error);

            JSONObject byPost = (JSONObject) steps.get("execByPost");
            assertEquals(200L, ((Number) byPost.get("status")).longValue(), byPost.toString());
            JSONArray rows = (JSONArray) byPost.get("value");
            assertEquals(1, rows.size(), "the test's own connection, by its 4-tuple: " + rows);
            assertEquals((long) clientPort, ((Number) ((JSONObject) rows.get(0)).get("remotePort")).longValue());

            JSONArray bulk = (JSONArray) steps.get("bulk");
            assertEquals(2, bulk.size(), bulk.toString());
            for (Object answer : bulk) {
                assertEquals(200L, ((Number) ((JSONObject) answer).get("status")).longValue(), answer.toString());
            }
            JSONObject listed = (JSONObject) ((JSONObject) bulk.get(1)).get("value");
            assertEquals(1L, ((Number) listed.get("matched")).longValue(), listed.toString());
            assertEquals(0L, ((Number) listed.get("dropped")).longValue(), "list only: " + listed);
            String command = (String) ((JSONArray) listed.get("commands")).get(0);
            assertTrue(command.startsWith("tcpdrop ") && command.endsWith(" " + clientPort), command);
            assertEquals(1, demo.closeWaitOnLeakPort(List.of(clientPort)), "the listing dropped nothing");
        }
    }

    /** The client's package in target/, with jolokia.js installed from the npm registry once. */
    private static Path installClient(Path npm) throws IOException {
        Path dir = Paths.get(System.getProperty("tcpjmx.it.work.dir", "target")).resolve("jolokia-js").toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "client.mjs")) {
            try (InputStream in = JolokiaJsClientIT.class.getResourceAsStream("/jolokia-js/" + file)) {
                assertTrue(in != null, file + " missing from the test resources");
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isRegularFile(dir.resolve("node_modules/jolokia.js/package.json"))) {
            AgentCli.Result install = AgentCli.exec(List.of(npm.toString(), "install", "--no-audit", "--no-fund",
                    "--prefix", dir.toString()), Map.of());
            Assumptions.assumeTrue(install.status() == 0, "npm could not install jolokia.js " + JOLOKIA_JS
                    + " (no npm registry reachable?): the jolokia.js client test is skipped\n" + install.out() + install.err());
        }
        String installed = Files.readString(dir.resolve("node_modules/jolokia.js/package.json"));
        assertTrue(installed.contains("\"version\": \"" + JOLOKIA_JS + "\""), "jolokia.js " + JOLOKIA_JS + " expected");
        return dir;
    }

}
