package trailhound.web.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.access.Access;
import trailhound.access.Agents;
import trailhound.access.Caller;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * The Live Endpoints page in a real browser: type-ahead by name and by address with the online dot,
 * connecting to two endpoints (one online whose agent is not connected here: attempted; one offline:
 * failed, saying since when and what to check), the connection list, and Delete. One endpoint's
 * host name is markup: it must show as text.
 */
class LiveEndpointsBrowserTest {
    private static final String HOSTILE_HOST = "<img src=x onerror=\"window.pwned=1\">host";

    @TempDir
    static Path dir;

    static WebTestSupport web;
    static ChromeDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        Access access = web.server().access();
        Agents agents = access.agents();
        String token = agents.create(Caller.commandLine(), null, Duration.ofHours(1), 2).secret();
        enrol(agents, token, "live-ws-01", HOSTILE_HOST, "a00000000000000a1");
        enrol(agents, token, "live-db-02", "db02.corp", "a00000000000000b2");
        agents.heartbeat("a00000000000000a1", "Linux 6.8 amd64", List.of("10.9.8.7"), "0.1.0", 12, 1 << 30); // online; db-02 never seen
        browser = Browsers.open(Files.createDirectories(dir.resolve("profile")), Files.createDirectories(dir.resolve("downloads")));
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private static void enrol(Agents agents, String token, String name, String host, String agentId) {
        Agents.Admission a = agents.enrol(token, name, host, "Linux", agentId, "s".repeat(43), "127.0.0.1");
        assertTrue(a instanceof Agents.Admission.Admitted, a.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    /** The connection list re-renders as it polls: each read finds the element afresh, again if it went stale meanwhile. */
    private static String text(String css) {
        return wait.ignoring(StaleElementReferenceException.class).until(d -> d.findElement(By.cssSelector(css)).getText());
    }

    private static void click(String css) {
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    @Test
    void typeAhead_connect_list_delete() throws Exception {
        browser.manage().deleteAllCookies();
        Browsers.signIn(browser, web);
        Browsers.consoleErrors(browser); // the sign-in page's (a favicon)
        browser.findElement(By.id("nav-live")).click();
        WebElement q = browser.findElement(By.id("live-q"));

        q.sendKeys("10.9.8"); // by address
        WebElement ws = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("li.live-match[data-endpoint='live-ws-01']")));
        assertTrue(ws.findElement(By.cssSelector(".live-dot")).getAttribute("class").contains("online"), "the online dot");
        assertTrue(ws.getText().contains(HOSTILE_HOST), "the host name shows as text: " + ws.getText());
        assertEquals(1, browser.findElements(By.cssSelector("li.live-match")).size(), "only the endpoint with that address");

        q.clear();
        q.sendKeys("live-"); // by name, as typed
        WebElement db = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("li.live-match[data-endpoint='live-db-02']")));
        assertTrue(db.findElement(By.cssSelector(".live-dot")).getAttribute("class").contains("offline"));
        assertEquals(2, browser.findElements(By.cssSelector("li.live-match")).size());
        assertTrue(!browser.findElement(By.id("live-connect")).isEnabled(), "nothing selected yet");
        for (WebElement box : browser.findElements(By.cssSelector("li.live-match input[type=checkbox]"))) box.click();
        assertEquals("Connect 2", browser.findElement(By.id("live-connect")).getText());
        browser.findElement(By.id("live-connect")).click();

        String failed = "tr.live-connection[data-endpoint='live-db-02']";
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(failed)));
        assertEquals("failed", text(failed + " .live-state"));
        String failedRow = text(failed);
        assertTrue(failedRow.contains("offline (its agent never connected)"), failedRow);
        assertTrue(failedRow.contains("systemctl status trailhound-agent"), failedRow);
        String attempted = "tr.live-connection[data-endpoint='live-ws-01']";
        assertEquals("attempted", text(attempted + " .live-state"));
        String attemptedRow = text(attempted);
        assertTrue(attemptedRow.contains("its agent is not connected to this server now"), attemptedRow);
        Browsers.screenshot(browser, "live-endpoints");

        click(failed + " .live-delete");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.live-connection"), 1));
        click(attempted + " .live-delete");
        Browsers.gone(browser, wait, By.cssSelector("tr.live-connection"));
        assertTrue(browser.findElement(By.id("live-none")).isDisplayed());

        assertNull(browser.executeScript("return window.pwned"), "no markup from an agent ran");
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script refused by the CSP, no failed request");
        List<String> audited = new java.util.ArrayList<>();
        web.server().access().audit().forEach(e -> audited.add(e.event().action() + " " + e.event().endpoint()));
        assertTrue(audited.containsAll(List.of("live.connect live-ws-01", "live.connect live-db-02", "live.disconnect live-ws-01",
                "live.disconnect live-db-02")), audited.toString());
    }

    @Test
    void openGrid_ofAConnectedEndpoint_showsNewEvents_andUpdates() throws Exception {
        String token = web.server().access().agents().create(Caller.commandLine(), null, Duration.ofHours(1), 1).secret();
        java.util.concurrent.BlockingQueue<trailhound.protocol.Message> in = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket agent = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(java.net.URI.create(web.server().url().replace("http", "ws") + AgentSocket.PATH), new java.net.http.WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            in.add(trailhound.protocol.Protocol.decode(partial.toString()));
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(30, java.util.concurrent.TimeUnit.SECONDS);
        String connection = null;
        try {
            send(agent, new trailhound.protocol.Message.Hello(trailhound.protocol.Protocol.CURRENT, "test"));
            send(agent, new trailhound.protocol.Message.Enrol(token, "grid-01", "grid", "Linux", "a00000000000000e1", "g".repeat(43)));
            send(agent, new trailhound.protocol.Message.Heartbeat("Linux", List.of(), "test", 0, 0, 0, System.currentTimeMillis()));
            send(agent, new trailhound.protocol.Message.Batch(1, 1, 3, events(1, 3)));
            waitForAck(in, 3);

            WebTestSupport api = web.anotherBrowser().signIn();
            var opened = api.postJson("/api/v1/live/connections", "{\"endpoints\":[\"grid-01\"]}");
            assertEquals(201, opened.statusCode(), opened.body());
            connection = WebTestSupport.find(opened.body(), "\"id\":\"([^\"]+)\"");
            browser.manage().deleteAllCookies();
            Browsers.signIn(browser, web);
            browser.get(web.server().url() + "/endpoints/grid-01/events");
            assertEquals(3, browser.findElements(By.cssSelector("#events tr.event-row")).size());
            WebElement badge = browser.findElement(By.id("live-new"));
            assertTrue(!badge.isDisplayed(), "nothing new yet");
            send(agent, new trailhound.protocol.Message.Batch(2, 4, 5, events(4, 5)));
            waitForAck(in, 5);
            wait.until(ExpectedConditions.textToBe(By.id("live-new"), "2 new events"));
            badge.click();
            Browsers.gone(browser, wait, By.id("live-new"));
            assertEquals(5, browser.findElements(By.cssSelector("#events tr.event-row")).size(), "the grid updated: every event");
        } finally {
            agent.abort();
            if (connection != null) { // listed until deleted: Delete on the Live page
                browser.get(web.server().url() + "/live");
                browser.findElement(By.cssSelector("tr.live-connection[data-id='" + connection + "'] .live-delete")).click();
                Browsers.gone(browser, wait, By.cssSelector("tr.live-connection"));
            }
        }
    }

    private static List<java.util.Map<String, String>> events(int from, int to) {
        List<java.util.Map<String, String>> out = new java.util.ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(trailhound.protocol.Protocol.toWire(trailhound.schema.Event.builder().set(trailhound.schema.Field.EVENT_UID, "grid-" + i)
                    .ts(System.currentTimeMillis() - 60_000 + i).set(trailhound.schema.Field.TYPE, "process")
                    .set(trailhound.schema.Field.OPERATION, "start").set(trailhound.schema.Field.COMMAND_LINE, "grid-cmd " + i).build()));
        }
        return out;
    }

    private static void send(java.net.http.WebSocket ws, trailhound.protocol.Message m) throws Exception {
        ws.sendText(trailhound.protocol.Protocol.encode(m), true).get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static void waitForAck(java.util.concurrent.BlockingQueue<trailhound.protocol.Message> in, long acknowledged) throws Exception {
        while (true) {
            trailhound.protocol.Message m = in.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            if (m == null) throw new AssertionError("no ack of " + acknowledged);
            if (m instanceof trailhound.protocol.Message.Ack ack && ack.acknowledged() == acknowledged) return;
        }
    }
}
