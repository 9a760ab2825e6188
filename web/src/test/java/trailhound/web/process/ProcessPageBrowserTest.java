package trailhound.web.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.process.ProcessFixture.CMD;
import static trailhound.web.process.ProcessFixture.ENDPOINT;
import static trailhound.web.process.ProcessFixture.NOTEPAD;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * The process details page in headless Chromium: the timeline and tree are drawn, hovering a
 * mark shows its tooltip, isolating a node hides everything but its direct relations, clicking a
 * node opens that process, the badge opens the reputation report. Screenshots of each page go to
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
    void processPage_tree_drawnAndIsolatingANodeKeepsItsDirectRelations() throws Exception {
        open(POWERSHELL);
        browser.findElement(By.cssSelector("[data-tab='tab-tree']")).click();

        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#process-tree g.tree-node"), 5));
        assertEquals(5, visibleNodes().size(), "explorer, powershell, notepad, cmd, whoami");
        screenshot("process-tree");

        new Actions(browser).contextClick(node(CMD)).perform();
        wait.until(b -> visibleNodes().size() == 2);
        assertEquals(List.of(POWERSHELL, CMD), visibleNodes().stream().map(n -> n.getDomAttribute("data-key")).sorted().toList());
        screenshot("process-tree-isolated");

        browser.findElement(By.id("tree-show-all")).click();
        wait.until(b -> visibleNodes().size() == 5);
        browser.findElement(By.id("tree-isolate-self")).click();
        wait.until(b -> visibleNodes().size() == 4);
        assertTrue(visibleNodes().stream().noneMatch(n -> NOTEPAD.equals(n.getDomAttribute("data-key"))),
                "a peer is no direct relation of the process");
    }

    @Test
    void processPage_clickChildNode_opensThatProcess() throws Exception {
        open(POWERSHELL);
        browser.findElement(By.cssSelector("[data-tab='tab-tree']")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#process-tree g.tree-node"), 5));

        node(CMD).click();

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
        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/process/" + processKey);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("process-title")));
    }

    private static WebElement node(String key) {
        return browser.findElement(By.cssSelector("#process-tree g.tree-node[data-key='" + key + "'] circle"));
    }

    private static List<WebElement> visibleNodes() {
        return browser.findElements(By.cssSelector("#process-tree g.tree-node")).stream().filter(WebElement::isDisplayed).toList();
    }

    /** Horizontal distance between the first and last timeline marks, in SVG units. */
    private static double spread(List<WebElement> marks) {
        return Double.parseDouble(marks.getLast().getDomAttribute("cx")) - Double.parseDouble(marks.getFirst().getDomAttribute("cx"));
    }

    private static void screenshot(String name) throws IOException {
        Browsers.screenshot(browser, name);
    }
}
