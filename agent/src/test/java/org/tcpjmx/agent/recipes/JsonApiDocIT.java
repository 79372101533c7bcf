package org.tcpjmx.agent.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jolokia.json.parser.JSONParser;
import org.junit.jupiter.api.Test;
import org.tcpjmx.agent.testing.AgentCli;

/**
 * src/docs/json-api.md shows real request/response pairs. This sends every request of the page
 * again, with curl as the page does, to a fresh demo server with the agent, and checks that each
 * answer still has the documented HTTP status, Jolokia {@code status}, {@code error_type} and field
 * names (values differ from run to run; the shape may not). Requests marked
 * {@code <!-- not replayed: ... -->} (a drop of a live connection, an agent with other options)
 * are skipped.
 */
class JsonApiDocIT {
    private static final String DOC_URL = "http://127.0.0.1:8778/jolokia/";

    /** One documented pair. */
    private record Pair(int line, String command, int httpStatus, String body) {
    }

    @Test
    void everyDocumentedRequestGetsAnAnswerOfTheDocumentedShape() throws Exception {
        RecipeDemo.assumeCurl();
        Path doc = RecipeDemo.examples().resolveSibling("src/docs/json-api.md");
        List<Pair> pairs = pairs(Files.readAllLines(doc));
        assertTrue(pairs.size() >= 12, "requests found in " + doc + ": " + pairs.size());
        try (RecipeDemo demo = RecipeDemo.start(List.of(), "--port", "0", "--leak-close-wait", "3")) {
            for (Pair p : pairs) {
                String command = p.command().replace(DOC_URL, demo.url).replace("8080", Integer.toString(demo.echoPort));
                AgentCli.Result r = AgentCli.exec(List.of("bash", "-c", command), Map.of());
                String what = "json-api.md line " + p.line() + ": " + command + "\n" + r;
                assertEquals(0, r.status(), what);
                String[] headAndBody = r.out().replace("\r\n", "\n").split("\n\n", 2);
                String statusLine = headAndBody[0].lines().findFirst().orElse("");
                assertEquals(p.httpStatus(), Integer.parseInt(statusLine.split(" ")[1]), what);
                String body = headAndBody.length > 1 ? headAndBody[1].trim() : "";
                if (p.body().isEmpty()) {
                    assertEquals("", body, what);
                } else {
                    sameShape("answer", new JSONParser().parse(p.body()), new JSONParser().parse(body), what);
                }
            }
        }
    }

    /** Status, error type and field names as documented; values of the same JSON kind. */
    private static void sameShape(String path, Object documented, Object actual, String what) {
        if (documented instanceof Map) {
            assertTrue(actual instanceof Map, path + " is an object: " + what);
            Map<?, ?> d = (Map<?, ?>) documented;
            Map<?, ?> a = (Map<?, ?>) actual;
            for (Map.Entry<?, ?> e : d.entrySet()) {
                String key = String.valueOf(e.getKey());
                assertTrue(a.containsKey(key), path + "." + key + " is missing: " + what);
                if (key.equals("status") || key.equals("error_type")) {
                    assertEquals(e.getValue(), a.get(key), path + "." + key + ": " + what);
                } else if (!key.equals("request") && !key.equals("error")) {
                    sameShape(path + "." + key, e.getValue(), a.get(key), what);
                }
            }
        } else if (documented instanceof List) {
            assertTrue(actual instanceof List, path + " is an array: " + what);
            List<?> d = (List<?>) documented;
            List<?> a = (List<?>) actual;
            assertEquals(d.isEmpty(), a.isEmpty(), path + " empty or not, as documented: " + what);
            if (!d.isEmpty()) {
                sameShape(path + "[0]", d.get(0), a.get(0), what);
            }
        } else if (documented instanceof Number) {
            assertTrue(actual instanceof Number, path + " is a number: " + what);
        } else if (documented instanceof String) {
            assertTrue(actual instanceof String, path + " is a string: " + what);
        } else if (documented instanceof Boolean) {
            assertTrue(actual instanceof Boolean, path + " is a boolean: " + what);
        }
    }

    /** Each ```sh block followed by its ```http block. */
    private static List<Pair> pairs(List<String> lines) {
        List<Pair> out = new ArrayList<>();
        boolean skipNext = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("<!-- not replayed:")) {
                skipNext = true;
            } else if (line.equals("```sh")) {
                int start = i + 1;
                StringBuilder command = new StringBuilder();
                for (i = start; !lines.get(i).equals("```"); i++) {
                    command.append(lines.get(i)).append('\n');
                }
                do {
                    i++;
                } while (lines.get(i).isBlank());
                assertEquals("```http", lines.get(i), "an answer after the request of line " + start);
                String status = lines.get(++i);
                assertTrue(status.startsWith("HTTP/1.1 "), "status line at line " + (i + 1));
                while (!lines.get(i).isBlank() && !lines.get(i).equals("```")) {
                    i++;
                }
                StringBuilder body = new StringBuilder();
                for (; !lines.get(i).equals("```"); i++) {
                    body.append(lines.get(i)).append('\n');
                }
                String cmd = command.toString().trim();
                assertTrue(cmd.startsWith("curl -si "), "a curl -si request at line " + start + ": " + cmd);
                assertFalse(cmd.contains("\n"), "one line per request, line " + start);
                if (!skipNext) {
                    out.add(new Pair(start, cmd, Integer.parseInt(status.split(" ")[1]), body.toString().trim()));
                }
                skipNext = false;
            }
        }
        return out;
    }
}
