package org.tcpjmx.agent.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jolokia.json.JSONArray;
import org.jolokia.json.JSONObject;
import org.jolokia.json.parser.JSONParser;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tcpjmx.agent.testing.ExternalTools;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.JvmProcess;

/**
 * hawtio 4.2.0 (the war from Maven Central) in Jetty 12, in headless Chromium driven by Selenium,
 * as an operator uses it: add a connection to the agent's Jolokia on hawtio's Connect page, open
 * {@code org.tcpjmx}, read the state histograms, run {@code query} for the test's own CLOSE_WAIT
 * connection (selected by its 4-tuple) and {@code dropState} with listOnly, which lists it and drops
 * nothing. hawtio reaches the agent through its proxy, which passes the browser's {@code Origin}: the
 * agent admits that origin by its option {@code allowOrigin}.
 */
class HawtioIT {
    private static final String SKIPPED = "the hawtio browser test is skipped (it needs Debian's chromium and chromium-driver)";
    private static final Duration UI = Duration.ofSeconds(30);

    @Test
    void anOperatorReadsQueriesAndListsADropThroughHawtioInABrowser() throws Exception {
        Path chromium = ExternalTools.require("chromium", SKIPPED);
        Path chromedriver = ExternalTools.require("chromedriver", SKIPPED);
        Path work = Files.createTempDirectory("tcpjmx-hawtio");
        try (JvmProcess jetty = startHawtio(work)) {
            String origin = "http://127.0.0.1:" + jettyPort(jetty);
            jetty.awaitErr(l -> l.contains("Started oejs.Server@"), 120);
            try (RecipeDemo demo = RecipeDemo.startWithAgentOptions("port=0,allowOrigin=" + origin, List.of(),
                    "--port", "0", "--clients", "0", "--idle", "0", "--leak-close-wait", "1")) {
                int clientPort = demo.leakCloseWait(1).get(0);
                WebDriver browser = browser(chromium, chromedriver, work.resolve("chromium-profile"));
                try {
                    connect(browser, origin, demo.url);
                    checkHistograms(browser, demo);
                    checkQuery(browser, demo, clientPort);
                    checkListOnlyDrop(browser, demo, clientPort);
                } finally {
                    browser.quit();
                }
            }
        } finally {
            deleteTree(work);
        }
    }

    /** hawtio's Connect page: a connection to the agent's Jolokia, tested, added and opened (in a new window). */
    private static void connect(WebDriver browser, String origin, String agentUrl) {
        java.net.URI agent = java.net.URI.create(agentUrl);
        browser.get(origin + "/hawtio/connect");
        click(browser, By.xpath("//button[normalize-space()='Add connection']"));
        type(browser, By.id("connection-form-name"), "tcpjmx");
        type(browser, By.id("connection-form-host"), agent.getHost());
        type(browser, By.id("connection-form-port"), String.valueOf(agent.getPort()));
        type(browser, By.id("connection-form-path"), agent.getPath());
        if (browser.findElement(By.id("connection-form-scheme")).isSelected()) {
            // The switch's input lies under its drawn toggle: click what the user clicks.
            click(browser, By.cssSelector("[role=dialog] .pf-v5-c-switch__toggle"));
        }
        click(browser, By.xpath("//button[normalize-space()='Test connection']"));
        WebElement dialog = browser.findElement(By.cssSelector("[role=dialog]"));
        wait(browser).until(d -> dialog.getText().contains("Connection successful") || dialog.getText().contains("fail"));
        assertTrue(dialog.getText().contains("Connection successful"), "hawtio's connection test: " + dialog.getText());
        click(browser, By.xpath("//button[normalize-space()='Add']"));
        String connectPage = browser.getWindowHandle();
        click(browser, By.xpath("//button[normalize-space()='Connect']"));
        wait(browser).until(d -> d.getWindowHandles().size() > 1);
        for (String handle : browser.getWindowHandles()) {
            if (!handle.equals(connectPage)) {
                browser.switchTo().window(handle);
            }
        }
        click(browser, By.xpath("//li[@id='org.tcpjmx-folder']//button[contains(@class,'node-toggle')]"));
    }

    /**
     * States' attributes as hawtio shows them: the demo's leaky port's row of ByListeningPort (only
     * the demo's own leak and this test connect there) and this JVM's own CLOSE_WAIT and LISTEN counts match a read over
     * Jolokia; the host-wide Histogram has every state and at least this test's CLOSE_WAIT.
     */
    private static void checkHistograms(WebDriver browser, RecipeDemo demo) throws Exception {
        openNode(browser, "States");
        wait(browser).until(d -> attribute(d, "OwnHistogram") != null && attribute(d, "ByListeningPort") != null);
        JSONObject own = json(attribute(browser, "OwnHistogram"));
        JSONObject byPort = json(attribute(browser, "ByListeningPort"));
        JSONObject histogram = json(attribute(browser, "Histogram"));

        Map<?, ?> ownRead = (Map<?, ?>) read(demo, "OwnHistogram");
        Map<?, ?> byPortRead = (Map<?, ?>) read(demo, "ByListeningPort");
        Map<?, ?> histogramRead = (Map<?, ?>) read(demo, "Histogram");
        for (String state : List.of("CLOSE_WAIT", "LISTEN")) {
            assertEquals(number(ownRead.get(state)), number(own.get(state)), state + " of OwnHistogram, page " + own + " Jolokia " + ownRead);
        }
        String leak = String.valueOf(demo.leakPort);
        assertTrue(number(((Map<?, ?>) byPort.get(leak)).get("CLOSE_WAIT")) >= 1, "the test's CLOSE_WAIT on the page: " + byPort.get(leak));
        assertEquals(numbers((Map<?, ?>) byPortRead.get(leak)), numbers((Map<?, ?>) byPort.get(leak)), "ByListeningPort " + leak);
        assertEquals(histogramRead.keySet(), histogram.keySet(), "the histogram's states");
        assertTrue(number(histogram.get("CLOSE_WAIT")) >= 1, "the host-wide histogram counts the test's CLOSE_WAIT: " + histogram);
    }

    /** Connections' {@code query} run from hawtio's Operations tab returns exactly the test's connection. */
    private static void checkQuery(WebDriver browser, RecipeDemo demo, int clientPort) throws Exception {
        openNode(browser, "Connections");
        String operation = openOperation(browser, "query(java.lang.String,java.lang.Integer)");
        type(browser, By.xpath(operation + "//input[contains(@id,'input-filter-0')]"),
                "state close-wait and src 127.0.0.1:" + demo.leakPort + " and dst 127.0.0.1:" + clientPort);
        type(browser, By.xpath(operation + "//input[contains(@id,'input-limit-1')]"), "0");
        JSONArray rows = (JSONArray) new JSONParser().parse(execute(browser, operation));
        assertEquals(1, rows.size(), "the test's own connection, by its 4-tuple: " + rows);
        JSONObject row = (JSONObject) rows.get(0);
        assertEquals((long) demo.leakPort, number(row.get("localPort")), row.toString());
        assertEquals((long) clientPort, number(row.get("remotePort")), row.toString());
        assertEquals("CLOSE_WAIT", row.get("state"), row.toString());
    }

    /** Drop's {@code dropState CLOSE_WAIT} with listOnly ticked: lists the test's connection, drops nothing. */
    private static void checkListOnlyDrop(WebDriver browser, RecipeDemo demo, int clientPort) throws Exception {
        openNode(browser, "Drop");
        String operation = openOperation(browser, "dropState(java.lang.String,java.lang.Boolean)");
        type(browser, By.xpath(operation + "//input[contains(@id,'input-state-0')]"), "CLOSE_WAIT");
        WebElement listOnly = browser.findElement(By.xpath(operation + "//input[contains(@id,'input-listOnly-1')]"));
        if (!listOnly.isSelected()) {
            listOnly.click();
        }
        assertTrue(listOnly.isSelected(), "listOnly ticked");
        JSONObject report = (JSONObject) new JSONParser().parse(execute(browser, operation));
        assertEquals(0L, number(report.get("dropped")), "list only: " + report);
        assertTrue(number(report.get("matched")) >= 1, report.toString());
        // tcpdrop LOCAL_ADDRESS LOCAL_PORT REMOTE_ADDRESS REMOTE_PORT: the demo's end of the test's connection.
        boolean listed = false;
        for (Object command : (JSONArray) report.get("commands")) {
            String[] words = String.valueOf(command).split(" ");
            listed |= words.length == 5 && words[0].equals("tcpdrop") && words[2].equals(String.valueOf(demo.leakPort))
                    && words[4].equals(String.valueOf(clientPort));
        }
        assertTrue(listed, "the test's connection (" + demo.leakPort + " -> " + clientPort + ") among the listed commands: " + report.get("commands"));
        assertEquals(1, demo.closeWaitOnLeakPort(List.of(clientPort)), "the listing dropped nothing");
    }

    /** Jetty 12 from jetty-home with hawtio's war deployed, on a free loopback port, its proxy open to loopback only. */
    private static JvmProcess startHawtio(Path work) throws IOException {
        Path home = Paths.get(property("tcpjmx.it.jetty.home"));
        Path war = Paths.get(property("tcpjmx.it.hawtio.war"));
        Path base = Files.createDirectories(work.resolve("jetty-base"));
        Files.createDirectories(base.resolve("webapps"));
        Files.copy(war, base.resolve("webapps").resolve("hawtio.war"));
        Files.writeString(base.resolve("start.ini"), "--module=http\n--module=ee10-deploy\n");
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        return JvmProcess.start(List.of(JvmProcess.java(), "-Djava.io.tmpdir=" + tmp,
                // hawtio's proxy: no login of hawtio's own, to loopback only, without probing the host's addresses.
                "-Dhawtio.authenticationEnabled=false", "-Dhawtio.proxyAllowlist=127.0.0.1", "-Dhawtio.localAddressProbing=false",
                "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home, "jetty.base=" + base,
                "jetty.http.host=127.0.0.1", "jetty.http.port=0"));
    }

    private static int jettyPort(JvmProcess jetty) {
        String line = jetty.awaitErr(l -> l.contains("Started oejs.ServerConnector"), 120);
        Matcher m = Pattern.compile("\\{127\\.0\\.0\\.1:(\\d+)}").matcher(line);
        assertTrue(m.find(), "Jetty's port in: " + line);
        return Integer.parseInt(m.group(1));
    }

    /** Debian's chromium through Debian's chromedriver; Selenium is given both, so it fetches nothing. */
    private static WebDriver browser(Path chromium, Path chromedriver, Path profile) {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // Without the network flags Chromium waits on look-ups a closed network never answers.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,1000");
        return new ChromeDriver(service, options);
    }

    private static void openNode(WebDriver browser, String name) {
        click(browser, By.xpath("//button[contains(@class,'tree-view__node-text') and normalize-space()='" + name + "']"));
        wait(browser).until(d -> d.findElement(By.tagName("main")).getText().contains("org.tcpjmx:type=" + name));
    }

    /** Opens the Operations tab and expands one operation; returns the XPath of its list item. */
    private static String openOperation(WebDriver browser, String signature) {
        click(browser, By.xpath("//a[normalize-space()='Operations']"));
        String item = "//li[@aria-labelledby='operation " + signature + "']";
        click(browser, By.xpath(item + "//button[@aria-label='Details']"));
        return item;
    }

    /** Clicks Execute and returns the JSON hawtio shows under "Result". */
    private static String execute(WebDriver browser, String operation) {
        click(browser, By.xpath(operation + "//button[normalize-space()='Execute']"));
        WebElement item = browser.findElement(By.xpath(operation));
        wait(browser).until(d -> innerText(d, item).contains("Result\n"));
        String text = innerText(browser, item);
        return text.substring(text.indexOf("Result\n") + "Result\n".length()).trim();
    }

    /** An attribute's value in hawtio's Attributes table (a row "NAME<tab>VALUE"), or null. */
    private static String attribute(WebDriver browser, String name) {
        // innerText keeps the table's cells apart by a tab (Selenium's getText joins them with a space).
        Object text = ((JavascriptExecutor) browser).executeScript("return document.querySelector('main').innerText");
        for (String line : String.valueOf(text).split("\n")) {
            if (line.startsWith(name + "\t")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    private static String innerText(WebDriver browser, WebElement element) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript("return arguments[0].innerText", element));
    }

    private static Object read(RecipeDemo demo, String attribute) {
        Http.Answer answer = Http.post(demo.url, Http.read("org.tcpjmx:type=States", attribute));
        assertEquals(200, answer.jolokiaStatus(), answer.body());
        return answer.value();
    }

    private static JSONObject json(String text) throws Exception {
        return (JSONObject) new JSONParser().parse(text);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static Map<String, Long> numbers(Map<?, ?> row) {
        Map<String, Long> out = new java.util.TreeMap<>();
        row.forEach((k, v) -> out.put(String.valueOf(k), number(v)));
        return out;
    }

    private static void click(WebDriver browser, By what) {
        wait(browser).until(ExpectedConditions.elementToBeClickable(what)).click();
    }

    private static void type(WebDriver browser, By what, String text) {
        WebElement field = wait(browser).until(ExpectedConditions.visibilityOfElementLocated(what));
        field.clear();
        field.sendKeys(text);
    }

    private static WebDriverWait wait(WebDriver browser) {
        return new WebDriverWait(browser, UI);
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || !Files.exists(Paths.get(value))) {
            throw new IllegalStateException(name + " not set or missing (" + value + "): run the ITs through mvn verify");
        }
        return value;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
