package trailhound.web.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.index.EventIndex;
import trailhound.index.IndexBackend;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * The process page in headless Chromium at 1366 px, as a new user saw it (issue #14): a 640-character
 * encoded command line and a 650-character path never make a tab wider than the window; the tabs
 * move with the arrow keys; a tab loaded by htmx after the session ended goes to sign-in and back.
 */
class ProcessPageFitBrowserTest {
    static final String ENDPOINT = "WS-LONG-01";
    static final String WORD = "0a0b0c0d-0000-0000-0000-000000000001";
    static final String POWERSHELL = "0a0b0c0d-0000-0000-0000-000000000002";
    /** Base64 of UTF-16 text, as {@code -enc} takes it: no separator to wrap at in 640 characters. */
    static final String COMMAND_LINE = "powershell.exe -nop -w hidden -enc " + "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA".repeat(20);
    static final String LONG_PATH = "C:\\Users\\bob\\AppData\\Local\\Temp\\" + "x".repeat(300) + "\\" + "stage".repeat(60) + ".ps1";
    static final long T0 = 1_763_625_600_000L; // 2025-11-20T08:00:00Z
    static final int WIDTH = 1366;

    @TempDir
    static Path dir;

    static WebTestSupport web;
    static WebDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        browser = Browsers.open(dir.resolve("chrome-profile"), dir.resolve("downloads"));
        browser.manage().window().setSize(new Dimension(WIDTH, 900));
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        web = WebTestSupport.start(dir);
        try (IndexBackend.Lease lease = web.data().indexes().acquireOrCreate(ENDPOINT)) {
            EventIndex index = lease.index();
            index.add(process("e1", T0, WORD, "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                    "\"WINWORD.EXE\" /n invoice.docm", null).build());
            index.add(process("e2", T0 + 1_000, POWERSHELL, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                    COMMAND_LINE, WORD).build());
            index.add(event("e3", T0 + 2_000, "file", "create").set(Field.FILE_PATH, LONG_PATH).build());
            index.add(event("e4", T0 + 3_000, "network", "connect").set(Field.REMOTE_IP, "203.0.113.7").set(Field.REMOTE_PORT, 443).build());
            index.commit();
        }
        Browsers.signIn(browser, web);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (web != null) {
            web.close();
        }
    }

    @Test
    void processPage_600CharacterValues_noTabWiderThanTheWindow() throws Exception {
        open();
        Browsers.consoleErrors(browser); // only this test's
        for (String tab : List.of("tab-timeline", "tab-tree", "tab-history", "tab-events")) {
            browser.findElement(By.cssSelector("[data-tab='" + tab + "']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(tab)));
            if (tab.equals("tab-events")) {
                wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#event-history details.event"), 3));
                for (WebElement summary : browser.findElements(By.cssSelector("#event-history details.event summary"))) {
                    summary.click();
                }
            }
            assertFitsWindow(tab);
        }
        Browsers.screenshot(browser, "process-long-values");

        // The cut values come back whole with "more", still wrapped.
        browser.findElement(By.cssSelector("[data-tab='tab-history']")).click();
        WebElement more = browser.findElement(By.cssSelector("#process-history button.more"));
        WebElement value = more.findElement(By.xpath("preceding-sibling::span[1]"));
        assertFalse(value.getText().contains(COMMAND_LINE), "cut before 'more'");
        more.click();
        wait.until(b -> value.getText().replace("\n", "").contains(COMMAND_LINE));
        assertEquals("less", more.getText());
        assertFitsWindow("tab-history after 'more'");
        assertEquals(List.of(), Browsers.consoleErrors(browser));
    }

    /** The process the issue was found on: the demo's encoded PowerShell started from WINWORD on WS-FIN-01. */
    @Test
    void demoPowerShellFromWord_everyTabFitsTheWindow() throws Exception {
        List<Path> dbs = trailhound.samples.SampleGenerator.generate(dir.resolve("samples"), 1, 3_000, 7, n -> {});
        new trailhound.ingest.Ingestor(web.data(), 1).ingest(dbs.getFirst(), null);
        com.fasterxml.jackson.databind.JsonNode found = new com.fasterxml.jackson.databind.ObjectMapper().readTree(web.signIn().get(
                "/api/v1/endpoints/WS-FIN-01/search?limit=1&q=" + WebTestSupport.enc(
                        "type:process AND operation:start AND process_name:powershell.exe AND parent_path:*WINWORD* AND command_line:*-enc*"))
                .body()).get("events").get(0);
        assertTrue(found.get("command_line").asText().contains("-enc "), found.toString());
        browser.get(web.server().url() + "/endpoints/WS-FIN-01/process/" + found.get("process_key").asText());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("process-title")));
        for (String tab : List.of("tab-timeline", "tab-tree", "tab-history", "tab-events")) {
            browser.findElement(By.cssSelector("[data-tab='" + tab + "']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(tab)));
            if (tab.equals("tab-events")) {
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#event-history details.event")));
                for (WebElement summary : browser.findElements(By.cssSelector("#event-history details.event summary"))) {
                    summary.click();
                }
            }
            assertFitsWindow("WS-FIN-01 powershell.exe, " + tab);
        }
    }

    @Test
    void processPage_tabs_moveWithArrowKeysHomeAndEnd() throws Exception {
        open();
        WebElement timeline = tab("tab-timeline");
        assertEquals("0", timeline.getDomAttribute("tabindex"), "the selected tab is the tab stop");
        assertEquals("-1", tab("tab-tree").getDomAttribute("tabindex"), "the others are reached by arrow keys");

        timeline.sendKeys(Keys.ARROW_RIGHT);
        assertSelected("tab-tree");
        tab("tab-tree").sendKeys(Keys.END);
        assertSelected("tab-events");
        tab("tab-events").sendKeys(Keys.ARROW_RIGHT);
        assertSelected("tab-timeline");
        tab("tab-timeline").sendKeys(Keys.ARROW_LEFT);
        assertSelected("tab-events");
        tab("tab-events").sendKeys(Keys.HOME);
        assertSelected("tab-timeline");
        tab("tab-timeline").sendKeys(Keys.ARROW_LEFT);
        tab("tab-events").sendKeys(Keys.ARROW_LEFT);
        assertSelected("tab-history");
        assertTrue(browser.findElement(By.id("process-history")).isDisplayed());
    }

    @Test
    void processPage_sessionEndedThenHtmxTab_goesToSignInAndBackToThePage() throws Exception {
        open();
        String page = browser.getCurrentUrl();
        browser.manage().deleteCookieNamed("th_session"); // as when the session expires on the server
        browser.findElement(By.cssSelector("[data-tab='tab-events']")).click(); // htmx loads the Event History

        wait.until(ExpectedConditions.urlContains("/login?next="));
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(web.adminPassword());
        browser.findElement(By.id("sign-in")).click();

        wait.until(ExpectedConditions.urlContains("/process/" + POWERSHELL));
        assertEquals(page.replaceFirst("#.*", ""), browser.getCurrentUrl().replaceFirst("#.*", ""));
        browser.findElement(By.cssSelector("[data-tab='tab-events']")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#event-history details.event"), 3));
        assertTrue(Browsers.now(browser, browser, By.cssSelector("#tab-events #password")).isEmpty(), "no sign-in form inside the tab");
    }

    private static void open() {
        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/process/" + POWERSHELL);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("process-title")));
    }

    private static WebElement tab(String id) {
        return browser.findElement(By.cssSelector("[data-tab='" + id + "']"));
    }

    private static void assertSelected(String id) {
        wait.until(b -> "true".equals(tab(id).getDomAttribute("aria-selected")));
        assertEquals(tab(id), browser.switchTo().activeElement(), "focus moves with the selection");
        assertEquals("0", tab(id).getDomAttribute("tabindex"));
        assertTrue(browser.findElement(By.id(id)).isDisplayed());
    }

    private static void assertFitsWindow(String where) {
        long page = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth;");
        long window = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.clientWidth;");
        assertTrue(page <= window, where + ": the page is " + page + " px wide in a " + window + " px window");
    }

    private static Event.Builder process(String uid, long ts, String key, String path, String commandLine, String parentKey) {
        Event.Builder b = Event.builder().set(Field.EVENT_UID, uid).ts(ts).set(Field.TYPE, "process").set(Field.OPERATION, "start")
                .set(Field.ENDPOINT, ENDPOINT).set(Field.PROCESS_KEY, key).set(Field.PID, 4000 + uid.length())
                .set(Field.PROCESS_PATH, path).set(Field.PROCESS_NAME, path.substring(path.lastIndexOf('\\') + 1))
                .set(Field.COMMAND_LINE, commandLine).set(Field.USER, "FIN\\alice");
        if (parentKey != null) b.set(Field.PARENT_KEY, parentKey).set(Field.PPID, 4002);
        return b;
    }

    private static Event.Builder event(String uid, long ts, String type, String operation) {
        return Event.builder().set(Field.EVENT_UID, uid).ts(ts).set(Field.TYPE, type).set(Field.OPERATION, operation)
                .set(Field.ENDPOINT, ENDPOINT).set(Field.PROCESS_KEY, POWERSHELL).set(Field.PID, 4321)
                .set(Field.PROCESS_PATH, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe")
                .set(Field.COMMAND_LINE, COMMAND_LINE).set(Field.PARENT_KEY, WORD).set(Field.PPID, 4002);
    }
}
