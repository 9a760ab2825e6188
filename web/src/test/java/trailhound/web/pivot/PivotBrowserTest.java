package trailhound.web.pivot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.enc;
import static trailhound.web.pivot.PivotFixture.DC;
import static trailhound.web.pivot.PivotFixture.FILES;
import static trailhound.web.pivot.PivotFixture.FILE_EVENTS;
import static trailhound.web.pivot.PivotFixture.WS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * The pivot menu in headless Chromium: each action, the keyboard, exact filters on hostile values,
 * the hunt and the links to other endpoints as analyst {@code ana} (who does not see
 * {@value PivotFixture#SECRET}).
 */
class PivotBrowserTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static ChromeDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        browser = Browsers.open(Files.createDirectories(dir.resolve("profile")), Files.createDirectories(dir.resolve("downloads")));
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        PivotFixture.addEndpoints(web, dir);
        PivotFixture.addUsers(web);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    @AfterEach
    void nothingRanAndNothingWasRefused() throws Exception {
        assertEquals(null, browser.executeScript("return window.__pwned"), "a value's markup ran");
        try {
            browser.switchTo().alert();
            throw new AssertionError("an alert opened");
        } catch (NoAlertPresentException expected) {
            // nothing opened
        }
        // the browser asks for /favicon.ico on its own; the server has none
        assertEquals(List.of(), Browsers.consoleErrors(browser).stream().filter(e -> !e.contains("/favicon.ico")).toList(),
                "no script or style refused by the CSP, no script error");
    }

    @Test
    void filterForAndOut_onHostileValues_rerunTheSearchWithExactCounts() throws Exception {
        signIn("admin", web.adminPassword());
        for (String value : List.of("C:\\a \"quoted\" b\\*.txt", "<script>window.__pwned=1</script>", "C:\\back\\\\slash\\",
                "x*y?z", "ünïcødé ✓ ü", "\"")) {
            int n = FILES.get(value);
            grid("type:file");
            WebElement menu = open(pv("file_path", value));
            assertEquals("file_path = " + value, menu.findElement(By.className("pv-head")).getText());
            menu.findElement(By.cssSelector("[data-action=filter-for]")).click();
            assertEquals(String.valueOf(n), resultCount(), "filter for " + value);
            WebElement row = browser.findElement(By.cssSelector("#builder-rows .builder-row:last-child"));
            assertEquals(value, row.getDomAttribute("data-value"), "the builder row holds the value as it is");

            grid("type:file");
            open(pv("file_path", value)).findElement(By.cssSelector("[data-action=filter-out]")).click();
            assertEquals(String.valueOf(FILE_EVENTS - n), resultCount(), "filter out " + value);
        }
        Browsers.screenshot(browser, "pivot-filter-out");
    }

    @Test
    void keyboard_enterAndSpaceOpen_arrowsMove_escapeCloses_enterFollows() throws Exception {
        signIn("admin", web.adminPassword());
        grid("type:file");
        String value = "a OR b";
        WebElement cell = pv("file_path", value);
        assertTrue(List.of("0", "-1").contains(cell.getDomProperty("tabIndex")), "focusable (the grid's Tab stop, or by arrow keys)");
        assertEquals(1, browser.findElements(By.cssSelector("#events .pv[tabindex='0']")).size(), "the grid is one Tab stop");
        assertEquals("button", cell.getDomAttribute("role"));
        browser.executeScript("arguments[0].focus()", cell);
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-menu")));
        assertEquals("true", cell.getDomAttribute("aria-expanded"));
        assertEquals("filter-for", focusedAction());
        List<String> order = List.of("filter-out", "copy", "hunt", "filter-for");
        for (String next : order) {
            browser.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
            assertEquals(next, focusedAction());
        }
        browser.switchTo().activeElement().sendKeys(Keys.ARROW_UP);
        assertEquals("hunt", focusedAction(), "up from the first wraps to the last");
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        Browsers.gone(browser, wait, By.id("pv-menu"));
        assertEquals(cell, browser.switchTo().activeElement(), "focus back on the value");
        assertEquals("false", cell.getDomAttribute("aria-expanded"));

        browser.switchTo().activeElement().sendKeys(Keys.SPACE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-menu")));
        browser.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
        assertEquals("filter-out", focusedAction());
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        assertEquals(String.valueOf(FILE_EVENTS - FILES.get(value)), resultCount());

        // a click elsewhere closes the menu too
        open(pv("file_path", "x*y?z"));
        browser.findElement(By.tagName("h1")).click();
        Browsers.gone(browser, wait, By.id("pv-menu"));
    }

    @Test
    void copy_putsTheExactValueOnTheClipboard_alsoWithoutTheAsyncClipboard() throws Exception {
        signIn("admin", web.adminPassword());
        browser.executeCdpCommand("Browser.grantPermissions", Map.of("origin", web.server().url(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        grid("type:file");
        String value = "C:\\a \"quoted\" b\\*.txt";
        WebElement menu = open(pv("file_path", value));
        menu.findElement(By.cssSelector("[data-action=copy]")).click();
        wait.until(b -> "Copied".equals(b.findElement(By.cssSelector("#pv-menu .pv-status")).getText()));
        assertEquals(value, clipboard());

        // the fallback: no navigator.clipboard (a plain-HTTP origin, an older browser)
        browser.executeScript("window.__clip = navigator.clipboard;"
                + "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined, configurable: true});");
        String other = "ünïcødé ✓ ü";
        browser.findElement(By.tagName("h1")).click();
        menu = open(pv("file_path", other));
        menu.findElement(By.cssSelector("[data-action=copy]")).click();
        wait.until(b -> "Copied".equals(b.findElement(By.cssSelector("#pv-menu .pv-status")).getText()));
        assertEquals(other, clipboard());
    }

    @Test
    void searchAllEndpoints_landsOnTheHuntWithTheAnalystsCounts_andKeepsTheWindow() throws Exception {
        signIn("ana", PivotFixture.PW);
        browser.get(web.server().url() + "/endpoints/" + WS + "/process/" + PivotFixture.PSEXEC);
        open(pv("hash_sha256", PivotFixture.HASH)).findElement(By.cssSelector("[data-action=hunt]")).click();
        browser.findElement(By.id("hunt-total"));
        assertEquals(Map.of(WS, "2", DC, "1"), huntCounts(), "every endpoint the analyst sees, and only those");
        assertEquals("3", browser.findElement(By.id("hunt-total")).getText());
        assertEquals("hash:" + PivotFixture.HASH, browser.findElement(By.id("hunt-query")).getDomProperty("value"));

        String from = "2026-11-19T00:01:00Z";
        browser.get(web.server().url() + "/endpoints/" + WS + "/events?q=" + enc("type:network") + "&from=" + enc(from)
                + "&to=" + enc("2026-11-19T01:00:00Z"));
        open(pv("remote_ip", PivotFixture.DC_IP)).findElement(By.cssSelector("[data-action=hunt]")).click();
        browser.findElement(By.id("hunt-total"));
        assertTrue(browser.getCurrentUrl().contains("from=" + enc(from)), browser.getCurrentUrl());
        assertEquals(Map.of(WS, "1", DC, "1"), huntCounts(), "ip: the WS's remote and the DC's local address");
        Browsers.screenshot(browser, "pivot-hunt");
    }

    @Test
    void otherEndpoint_linkedWhenTheAnalystSeesIt_neverWhenNot() throws Exception {
        signIn("ana", PivotFixture.PW);
        browser.get(web.server().url() + "/endpoints/" + WS + "/process/" + PivotFixture.PSEXEC);
        WebElement menu = open(pv("command_line", PivotFixture.PSEXEC_LINE));
        wait.until(b -> "done".equals(menu.getDomAttribute("data-links")));
        WebElement openOn = menu.findElement(By.cssSelector("[data-action=open-on]"));
        assertEquals("Open on " + DC, openOn.getText());
        Browsers.screenshot(browser, "pivot-open-on");
        browser.findElement(By.tagName("h1")).click();

        browser.findElement(By.cssSelector("#endpoint-links a[data-endpoint='" + DC + "']")).click();
        assertEquals("3", resultCount(), "the DC's events around the PsExec: accept, PSEXESVC written and started");
        assertTrue(browser.getPageSource().contains("PSEXESVC.exe"));
        assertTrue(browser.getCurrentUrl().contains("/endpoints/" + DC + "/events?"), browser.getCurrentUrl());

        browser.get(web.server().url() + "/endpoints/" + WS + "/process/" + PivotFixture.NET_USE);
        WebElement secret = open(pv("command_line", PivotFixture.NET_USE_LINE));
        wait.until(b -> "done".equals(secret.getDomAttribute("data-links")));
        assertEquals(0, Browsers.now(browser, secret, By.cssSelector("[data-action=open-on]")).size(), "no link to an endpoint outside the groups");
        assertEquals(0, Browsers.now(browser, browser, By.id("endpoint-links")).size());

        // the Event History tab arrives later (htmx): its values get the menu, and the address links too
        browser.get(web.server().url() + "/endpoints/" + WS + "/process/" + PivotFixture.PSEXEC);
        browser.findElement(By.cssSelector("[data-tab=tab-events]")).click();
        WebElement event = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#event-history details.event:nth-of-type(2)")));
        event.findElement(By.tagName("summary")).click();
        WebElement address = pv("remote_ip", PivotFixture.DC_IP);
        assertTrue(List.of("0", "-1").contains(address.getDomProperty("tabIndex")), "focusable");
        assertEquals(1, browser.findElements(By.cssSelector("#event-history .pv[tabindex='0']")).size(), "the Event History is one Tab stop");
        assertNotNull(event.findElement(By.cssSelector(".endpoint-links a[data-endpoint='" + DC + "']")));
        WebElement fromHistory = open(address);
        wait.until(b -> "done".equals(fromHistory.getDomAttribute("data-links")));
        assertEquals("Open on " + DC, fromHistory.findElement(By.cssSelector("[data-action=open-on]")).getText());
    }

    @Test
    void processPage_filterFor_opensTheEndpointsGridOnThatValue() throws Exception {
        signIn("ana", PivotFixture.PW);
        browser.get(web.server().url() + "/endpoints/" + WS + "/process/" + PivotFixture.HOSTILE);
        WebElement menu = open(pv("user", PivotFixture.HOSTILE_USER));
        wait.until(b -> List.of("none", "done").contains(menu.getDomAttribute("data-links"))); // not asked, or answered
        assertEquals(0, Browsers.now(browser, menu, By.cssSelector("[data-action=open-on]")).size());
        menu.findElement(By.cssSelector("[data-action=filter-for]")).click();
        assertEquals(String.valueOf(FILE_EVENTS + 1), resultCount(), "the process start and its files");
        assertTrue(browser.getCurrentUrl().contains("/endpoints/" + WS + "/events?"), browser.getCurrentUrl());
        assertEquals(PivotFixture.HOSTILE_USER, browser.findElement(By.cssSelector("#builder-rows .builder-row")).getDomAttribute("data-value"));
    }

    // ---- helpers

    private static void signIn(String user, String password) {
        browser.manage().deleteAllCookies();
        browser.get(web.server().url() + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("sign-in")).click();
        browser.findElement(By.id("logout"));
    }

    private static void grid(String query) {
        browser.get(web.server().url() + "/endpoints/" + WS + "/events?q=" + enc(query));
        browser.findElement(By.id("result-count"));
    }

    private static String resultCount() {
        return browser.findElement(By.id("result-count")).getText();
    }

    /** The value's shown element, found by its raw data-value (compared in the page, so any value works). */
    private static WebElement pv(String field, String value) {
        return wait.until(b -> (WebElement) browser.executeScript(
                "return [...document.querySelectorAll('.pv')].find(e => e.dataset.field === arguments[0] && e.dataset.value === arguments[1]"
                        + " && e.getClientRects().length > 0)",
                field, value));
    }

    private static WebElement open(WebElement pv) {
        pv.click();
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-menu")));
    }

    private static String focusedAction() {
        return browser.switchTo().activeElement().getDomAttribute("data-action");
    }

    private static String clipboard() {
        return (String) browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "(window.__clip || navigator.clipboard).readText().then(done, e => done('read failed: ' + e));");
    }

    private static Map<String, String> huntCounts() {
        Map<String, String> counts = new TreeMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("tr.hunt-count"))) {
            counts.put(row.getDomAttribute("data-endpoint"), row.findElement(By.cssSelector("td.count")).getText());
        }
        return counts;
    }
}
