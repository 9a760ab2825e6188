package trailhound.web.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.process.ProcessFixture.CMD;
import static trailhound.web.process.ProcessFixture.ENDPOINT;
import static trailhound.web.process.ProcessFixture.POWERSHELL;
import static trailhound.web.process.ProcessFixture.POWERSHELL_SHA256;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * The process details page in headless Chromium: the timeline is drawn and hovering a mark shows
 * its tooltip; the tree's nodes open and close by keyboard, "+N more" brings the next peers by
 * keyboard until all are shown, a node's name opens that process; the badge opens the reputation
 * report; no console errors (a CSP refusal would show there). Screenshots of each page go to
 * {@code web/target/screenshots/}.
 */
class ProcessPageBrowserTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static WebDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        browser = Browsers.open(dir.resolve("chrome-profile"), dir.resolve("downloads"));
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        web = WebTestSupport.start(dir);
        ProcessFixture.write(web.data());
        TreeFixture.write(web.data());
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
    void processPage_timeline_drawnWithTooltipOnHoverAndZoomOnDoubleClick() throws Exception {
        open(POWERSHELL);

        List<WebElement> marks = wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#timeline circle.timeline-mark"),
                ProcessFixture.POWERSHELL_EVENTS));
        assertEquals(5, browser.findElements(By.cssSelector("#timeline-legend .legend-item")).size(),
                "one legend entry per event type: process, file, network, dns, registry");
        new Actions(browser).moveToElement(marks.get(2)).perform();
        WebElement tooltip = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("timeline-tooltip")));
        assertTrue(tooltip.getText().contains("network / connect"), tooltip.getText());
        assertTrue(tooltip.getText().contains("203.0.113.7:443"));
        assertTrue(tooltip.getText().contains("2025-11-20T08:00:04.000Z"));
        screenshot("process-timeline");

        double before = spread(marks);
        new Actions(browser).doubleClick(marks.get(3)).perform();
        wait.until(b -> spread(marks) > before * 1.5);
    }

    @Test
    void processPage_tree_expandAndCollapseByKeyboard() throws Exception {
        open(TreeFixture.ENDPOINT, "c7");
        Browsers.consoleErrors(browser);
        browser.findElement(By.cssSelector("[data-tab='tab-tree']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("process-tree")));
        screenshot("process-tree");

        WebElement toggle = toggle("gg0");
        assertEquals("false", toggle.getDomAttribute("aria-expanded"), "the fourth level starts closed");
        toggle.sendKeys(Keys.ENTER);
        wait.until(b -> !items("ggg0").isEmpty() && items("ggg0").getFirst().isDisplayed());
        assertEquals("true", toggle("gg0").getDomAttribute("aria-expanded"));

        WebElement k00 = toggle("k00");
        k00.sendKeys(Keys.SPACE);
        wait.until(b -> !items("g0").getFirst().isDisplayed());
        assertEquals("Expand k00.exe", toggle("k00").getDomAttribute("aria-label"));
        toggle("k00").sendKeys(Keys.ENTER);
        wait.until(b -> items("ggg0").getFirst().isDisplayed());
        assertEquals(List.of(), Browsers.consoleErrors(browser));
    }

    @Test
    void processPage_treeMore_opensTheNextPeersByKeyboardUntilAllAreShown() throws Exception {
        open(TreeFixture.ENDPOINT, "k20");
        Browsers.consoleErrors(browser);
        browser.findElement(By.cssSelector("[data-tab='tab-tree']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("process-tree")));
        assertEquals(20, peers().size());

        WebElement more = browser.findElement(By.cssSelector("#process-tree .more-link"));
        assertEquals("+24 more", more.getText());
        more.sendKeys(Keys.ENTER);
        wait.until(b -> peersAndChildren() == 40);
        wait.until(b -> "k21.exe".equals(browser.switchTo().activeElement().getText().split(" ")[0]));
        screenshot("process-tree-more");
        browser.findElement(By.cssSelector("#process-tree .more-link")).sendKeys(Keys.ENTER);
        wait.until(b -> peersAndChildren() == 44);
        assertTrue(Browsers.now(browser, browser, By.cssSelector("#process-tree .more-link")).isEmpty());
        assertEquals(List.of(), Browsers.consoleErrors(browser));
    }

    @Test
    void processPage_clickChildNode_opensThatProcess() throws Exception {
        open(POWERSHELL);
        browser.findElement(By.cssSelector("[data-tab='tab-tree']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("process-tree")));
        assertEquals(5, browser.findElements(By.cssSelector("#process-tree li.tree-item")).size(),
                "explorer, powershell, cmd, whoami, notepad");

        items(CMD).getFirst().findElement(By.cssSelector("a.tree-label")).click();

        wait.until(ExpectedConditions.urlContains("/process/" + CMD));
        assertTrue(browser.findElement(By.id("process-title")).getText().startsWith("cmd.exe (PID 6000)"));
        assertEquals("Suspicious", browser.findElement(By.id("reputation-badge")).getText());
    }

    @Test
    void processPage_historyTabsAndReputationReport_shown() throws Exception {
        open(POWERSHELL);
        browser.findElement(By.cssSelector("[data-tab='tab-history']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("process-history")));
        assertEquals(ProcessFixture.POWERSHELL_EVENTS, browser.findElements(By.cssSelector("#process-history tbody tr")).size());
        screenshot("process-history");
        browser.findElement(By.cssSelector("[data-tab='tab-events']")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#event-history details.event"), ProcessFixture.POWERSHELL_EVENTS));
        browser.findElements(By.cssSelector("#event-history details.event summary")).get(2).click();
        assertTrue(browser.findElement(By.id("event-history")).getText().contains("203.0.113.7"));
        screenshot("process-event-history");

        WebElement badge = browser.findElement(By.id("reputation-badge"));
        assertEquals("Malicious", badge.getText());
        badge.click();

        wait.until(ExpectedConditions.urlContains("/reputation/" + POWERSHELL_SHA256));
        assertEquals(1, browser.findElements(By.cssSelector("#report-sources tr.source-row")).size());
        screenshot("reputation-report");
    }

    private static void open(String processKey) {
        open(ENDPOINT, processKey);
    }

    private static void open(String endpoint, String processKey) {
        browser.get(web.server().url() + "/endpoints/" + endpoint + "/process/" + processKey);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("process-title")));
    }

    private static List<WebElement> items(String key) {
        return browser.findElements(By.cssSelector("#process-tree li.tree-item[data-key='" + key + "']"));
    }

    private static WebElement toggle(String key) {
        return items(key).getFirst().findElement(By.cssSelector(":scope > .tree-row > .tree-toggle"));
    }

    private static List<WebElement> peers() {
        return browser.findElements(By.cssSelector("#process-tree li.role-peer"));
    }

    /** Peers on the page plus those "+N more" brought (drawn as children of their parent). */
    private static long peersAndChildren() {
        return browser.findElements(By.cssSelector("#process-tree li[data-key^='k']")).size() - 1;
    }

    /** Horizontal distance between the first and last timeline marks, in SVG units. */
    private static double spread(List<WebElement> marks) {
        return Double.parseDouble(marks.getLast().getDomAttribute("cx")) - Double.parseDouble(marks.getFirst().getDomAttribute("cx"));
    }

    private static void screenshot(String name) throws IOException {
        Browsers.screenshot(browser, name);
    }
}
