package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import trailhound.access.Alerts;
import trailhound.index.EventSort;
import trailhound.store.Alerts.Alert;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * The Alerts page in a real browser and its API: a rule's events on an endpoint gather in one open
 * alert; several alerts are acknowledged or closed at once; filters by state and rule; a policy's
 * alert links to its policy as an IOC's to its IOC.
 */
class AlertsBrowserTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String POLICY = "<b>No dumpers</b>";
    @TempDir static Path dir;
    static WebTestSupport web;
    static ChromeDriver browser;
    static final List<String> uids = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        browser = Browsers.open(Files.createDirectories(dir.resolve("profile")), Files.createDirectories(dir.resolve("downloads")));
        try (var lease = web.data().indexes().acquire(WebTestSupport.ENDPOINT)) {
            lease.index().export(null, EventSort.NEWEST_FIRST, 8, e -> uids.add(e.uid()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    @Test
    void alertsPage_pickSeveral_acknowledgeAndClose_filterByStateAndRule_policyLinked() throws Exception {
        Alerts alerts = web.server().access().alerts();
        String e = WebTestSupport.ENDPOINT;
        // the IOCs exist: an alert of a deleted one has no link (fourth try-out)
        var intel = web.server().access().scope(trailhound.access.Caller.commandLine()).intel();
        var item = new trailhound.query.IocTree.Item(trailhound.query.IndicatorType.DOMAIN, trailhound.query.IocTree.Condition.IS, "c2.example");
        long c2 = intel.create("c2", item, "api", false).id();
        long beacon = intel.create("beacon", item, "api", false).id();
        // and so does the policy: an alert of a deleted one has no link either (fifth try-out)
        web.server().access().groups().create(trailhound.access.Caller.commandLine(), "Alerted", null, List.of(e));
        long pid = web.server().access().policies(web.server().access().scope(trailhound.access.Caller.commandLine()))
                .create("No dumpers", "alert", false, List.of("Alerted"), List.of(new trailhound.store.Policies.NewRule(null, "/tmp/dump",
                        null, null, null))).id();
        Alert ioc = alerts.raise(e, "ioc", c2, "c2", uids.subList(0, 2)).orElseThrow();
        Alert policy = alerts.raise(e, "policy", pid, POLICY, uids.subList(2, 3)).orElseThrow();
        Alert again = alerts.raise(e, "policy", pid, POLICY, uids.subList(3, 5)).orElseThrow();
        assertEquals(policy.id(), again.id(), "the open alert gathers the policy's next events");
        assertEquals(3, again.events());
        Alert other = alerts.raise(e, "ioc", beacon, "beacon", uids.subList(5, 6)).orElseThrow();

        Browsers.signIn(browser, web);
        browser.get(web.server().url() + "/alerts");
        assertTrue(browser.findElement(By.cssSelector("p.hint")).getText().contains("protection policy"), "policies raise alerts too");
        List<Long> mine = List.of(other.id(), again.id(), ioc.id());
        assertEquals(mine, rowIds().stream().filter(mine::contains).toList(), "newest activity first");
        WebElement policyRule = row(policy.id()).findElement(By.cssSelector("a.alert-rule"));
        assertEquals("/policies/" + pid, policyRule.getDomAttribute("href"));
        assertEquals(POLICY, policyRule.getText(), "the name is text, never markup");
        assertEquals("/intel/" + c2, row(ioc.id()).findElement(By.cssSelector("a.alert-rule")).getDomAttribute("href"));

        // try-out: with nothing ticked, Acknowledge led to an error page
        browser.findElement(By.id("bulk-acknowledged")).click();
        assertEquals("Tick at least one alert first (the boxes at the left of the rows).", browser.findElement(By.id("alerts-bulk-error")).getText());
        assertTrue(browser.getCurrentUrl().endsWith("/alerts"), "still on the page: " + browser.getCurrentUrl());

        row(ioc.id()).findElement(By.cssSelector("input.alert-pick")).click();
        row(policy.id()).findElement(By.cssSelector("input.alert-pick")).click();
        browser.findElement(By.id("bulk-acknowledged")).click();
        browser.findElement(By.id("alerts"));
        eventually("acknowledged", () -> state(ioc.id()), "the picked IOC alert");
        eventually("acknowledged", () -> state(policy.id()), "the picked policy alert");
        assertEquals("new", state(other.id()), "not picked, not changed");

        new Select(browser.findElement(By.id("filter-state"))).selectByValue("acknowledged");
        browser.findElement(By.id("filter-apply")).click();
        eventually(List.of(policy.id(), ioc.id()), AlertsBrowserTest::rowIds, "the acknowledged alerts");
        new Select(browser.findElement(By.id("filter-rule"))).selectByValue("policy:" + pid);
        browser.findElement(By.id("filter-apply")).click();
        eventually(List.of(policy.id()), AlertsBrowserTest::rowIds, "the policy's acknowledged alert");
        Browsers.screenshot(browser, "alerts-filtered");
        row(policy.id()).findElement(By.cssSelector("input.alert-pick")).click();
        browser.findElement(By.id("bulk-closed")).click();
        browser.findElement(By.id("alerts"));
        assertTrue(browser.getCurrentUrl().contains("state=acknowledged"), "the filter is kept: " + browser.getCurrentUrl());
        eventually(List.of(), AlertsBrowserTest::rowIds, "closed: out of the acknowledged");
        assertEquals("closed", alerts.find(web.server().access().scope(trailhound.access.Caller.commandLine()), policy.id()).orElseThrow().state());

        // closed: the policy's next event raises a new alert
        Alert next = alerts.raise(e, "policy", pid, POLICY, uids.subList(6, 7)).orElseThrow();
        assertTrue(next.id() != policy.id(), "a closed alert is followed by a new one");
        assertEquals(List.of(), Browsers.consoleErrors(browser).stream().filter(m -> !m.contains("favicon.ico")).toList());
    }

    @Test
    void api_severalAtOnce_allOrNone_andFilters() throws Exception {
        Alerts alerts = web.server().access().alerts();
        String e = WebTestSupport.ENDPOINT;
        Alert a = alerts.raise(e, "ioc", 31, "one", uids.subList(0, 1)).orElseThrow();
        Alert b = alerts.raise(e, "ioc", 32, "two", uids.subList(0, 1)).orElseThrow();

        HttpResponse<String> unknown = web.postJson("/api/v1/alerts/state", "{\"ids\": [" + a.id() + ", 99999], \"state\": \"closed\"}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("99999") && unknown.body().contains("nothing was changed"), unknown.body());
        assertEquals("new", one(a.id()).path("state").asText(), "all or none");
        assertEquals(400, web.postJson("/api/v1/alerts/state", "{\"ids\": [" + a.id() + "], \"state\": \"ignored\"}").statusCode());
        assertEquals(400, web.postJson("/api/v1/alerts/state", "{\"ids\": \"" + a.id() + "\", \"state\": \"closed\"}").statusCode());
        assertEquals(400, web.postJson("/api/v1/alerts/state", "{\"ids\": [], \"state\": \"closed\"}").statusCode());

        HttpResponse<String> done = web.postJson("/api/v1/alerts/state", "{\"ids\": [" + a.id() + ", " + b.id() + "], \"state\": \"closed\"}");
        assertEquals(200, done.statusCode(), done.body());
        JsonNode changed = JSON.readTree(done.body()).path("alerts");
        assertEquals(2, changed.size());
        for (JsonNode n : changed) assertEquals("closed", n.path("state").asText());

        JsonNode closed31 = JSON.readTree(web.get("/api/v1/alerts?state=closed&rule_kind=ioc&rule_id=31").body()).path("alerts");
        assertEquals(1, closed31.size(), closed31.toString());
        assertEquals(a.id(), closed31.get(0).path("id").asLong());
        assertTrue(closed31.get(0).has("last_seen"));
        assertEquals(400, web.get("/api/v1/alerts?state=shelved").statusCode());
        assertEquals(400, web.get("/api/v1/alerts?rule_id=31").statusCode(), "an id needs its kind");
    }

    private static JsonNode one(long id) throws Exception {
        for (JsonNode n : JSON.readTree(web.get("/api/v1/alerts").body()).path("alerts")) if (n.path("id").asLong() == id) return n;
        throw new AssertionError("no alert " + id);
    }

    /*
     * A filter or bulk action submits a form: the page is replaced, so the old page's rows can be read (or
     * go stale) until the new one is there. Waits until the value is the one expected, then asserts it.
     */
    private static <T> void eventually(T expected, java.util.function.Supplier<T> actual, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = actual.get();
                if (expected.equals(last)) return;
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException replaced) {
                // the page is being replaced: read again
            }
            Thread.sleep(100);
        }
        assertEquals(expected, last, what);
    }

    private static List<Long> rowIds() {
        // polled by eventually: without the implicit wait, which an empty table would wait out
        return Browsers.now(browser, browser, By.cssSelector("#alerts tr.alert-row")).stream().map(r -> Long.parseLong(r.getDomAttribute("data-id")))
                .toList();
    }

    private static WebElement row(long id) {
        return browser.findElement(By.cssSelector("#alerts tr.alert-row[data-id='" + id + "']"));
    }

    private static String state(long id) {
        return row(id).findElement(By.cssSelector("td.alert-state")).getText();
    }
}
