package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import trailhound.access.Caller;
import trailhound.index.EventSort;
import trailhound.query.QueryLanguage;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/** Intel &gt; Add &gt; Evidence Based IOC in a real browser: pick saved events, choose indicators, Generate, Scan, Save matches. */
class IntelBrowserTest {
    @TempDir static Path dir;
    static WebTestSupport web;
    static ChromeDriver browser;
    static final String HOSTILE = "<img src=x onerror=alert(1)> ioc";
    static long files;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        browser = Browsers.open(Files.createDirectories(dir.resolve("profile")), Files.createDirectories(dir.resolve("downloads")));
        var evidence = web.server().access().scope(Caller.commandLine()).savedEvidence();
        List<String> dns = new ArrayList<>();
        try (var lease = web.data().indexes().acquire(WebTestSupport.ENDPOINT)) {
            lease.index().export(QueryLanguage.parse("dns_query:host3.example.com"), EventSort.NEWEST_FIRST, 1, e -> dns.add(e.uid()));
        }
        evidence.saveEvents(WebTestSupport.ENDPOINT, dns, "beacon", List.of("c2"));
        evidence.saveProcess(WebTestSupport.ENDPOINT, WebTestSupport.POWERSHELL, "ps", List.of());
        List<String> fileEvents = new ArrayList<>();
        try (var lease = web.data().indexes().acquire(WebTestSupport.ENDPOINT)) {
            lease.index().export(QueryLanguage.parse("type:file"), EventSort.NEWEST_FIRST, 1_000, e -> fileEvents.add(e.uid()));
        }
        files = evidence.saveEvents(WebTestSupport.ENDPOINT, fileEvents, "drops", List.of()).id();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    /** Clicks a box in the middle of the window (the table's header sticks at the top and would take the click). */
    private static void click(WebElement box) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'});", box);
        box.click();
    }

    /** A box on the picker's shown page as a user clicks it; on another page, as the click that page would take. */
    private static void clickOnAnyPage(WebElement box) {
        if (box.isDisplayed()) click(box);
        else ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].click()", box);
    }

    private static WebElement row(List<WebElement> rows, String key) {
        return rows.stream().filter(r -> key.equals(r.getDomAttribute("data-key"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + key + " among " + rows.stream().map(r -> r.getDomAttribute("data-key")).toList()));
    }

    @Test
    void picker_pagesItsRows_andATickOnAFurtherPageIsKept() throws Exception {
        Browsers.signIn(browser, web);
        browser.get(web.server().url() + "/intel/new?picking=1&evidence=" + files);
        List<WebElement> rows = browser.findElements(By.cssSelector("#candidates tr.candidate-row"));
        assertTrue(rows.size() > 2 * 50 - 10, "90 paths and their names: " + rows.size());
        assertTrue(browser.findElement(By.id("candidates-pager")).isDisplayed());
        assertEquals(50, rows.stream().filter(WebElement::isDisplayed).count(), "a page of rows");
        assertEquals("indicators 1-50 of " + rows.size(), browser.findElement(By.id("candidates-position")).getText());
        for (WebElement r : rows) {
            WebElement box = r.findElement(By.cssSelector("input.pick-indicator"));
            if (box.isDisplayed() && box.isSelected()) click(box);
        }
        click(browser.findElement(By.id("candidates-next")));
        assertEquals("indicators 51-" + Math.min(100, rows.size()) + " of " + rows.size(), browser.findElement(By.id("candidates-position")).getText());
        WebElement later = rows.stream().filter(WebElement::isDisplayed).filter(r -> r.getDomAttribute("data-key").startsWith("file_name:"))
                .findFirst().orElseThrow();
        String key = later.getDomAttribute("data-key");
        assertTrue(rows.indexOf(later) >= 50, "on the second page");
        if (!later.findElement(By.cssSelector("input.pick-indicator")).isSelected()) click(later.findElement(By.cssSelector("input.pick-indicator")));
        for (WebElement r : rows) { // only that one ticked on this page
            WebElement box = r.findElement(By.cssSelector("input.pick-indicator"));
            if (box.isDisplayed() && box.isSelected() && r != later) click(box);
        }
        click(browser.findElement(By.id("candidates-prev")));
        browser.findElement(By.id("ioc-name")).sendKeys("paged");
        browser.findElement(By.id("generate")).click();
        browser.findElement(By.id("ioc-tree"));
        List<String> items = browser.findElements(By.cssSelector("#ioc-tree li.ioc-item")).stream().map(WebElement::getText).toList();
        assertEquals(List.of("File name is " + key.substring("file_name:".length())), items, "the tick on page 2 was sent");
    }

    @Test
    void evidenceBasedIoc_generateScanAndSaveMatches() throws Exception {
        Browsers.signIn(browser, web);
        Browsers.consoleErrors(browser); // the first page's favicon.ico 404
        browser.findElement(By.id("nav-intel")).click();
        browser.findElement(By.id("add-evidence-ioc")).click();
        for (WebElement box : browser.findElements(By.cssSelector("#pick-evidence input[name=evidence]"))) {
            if (!box.getDomAttribute("value").equals(String.valueOf(files))) box.click(); // the DNS event and the process
        }
        browser.findElement(By.id("pick")).click();

        // one row per distinct indicator, with its field and what it matches; the distinctive ones ticked
        List<WebElement> rows = browser.findElements(By.cssSelector("#candidates tr.candidate-row"));
        assertEquals(rows.size(), rows.stream().map(r -> r.getDomAttribute("data-key")).distinct().count(), "one row a distinct indicator");
        WebElement domain = row(rows, "domain:host3.example.com");
        assertTrue(domain.findElement(By.cssSelector("input.pick-indicator")).isSelected(), "a DNS event's default: its name");
        // the process item brings its history's values too (fourth try-out): a row may be on a further page of the picker
        assertEquals("dns_query", domain.findElement(By.cssSelector(".candidate-field")).getDomProperty("textContent"));
        assertEquals("matches 1 event", domain.findElement(By.cssSelector(".candidate-matches")).getDomProperty("textContent"));
        assertTrue(rows.stream().anyMatch(r -> r.getDomAttribute("data-key").startsWith("ip:")), "its addresses are offered too");
        WebElement system = row(rows, "file_path:C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
        assertFalse(system.findElement(By.cssSelector("input.pick-indicator")).isSelected(), "a system path is offered unticked");
        String systemMatches = system.findElement(By.cssSelector(".candidate-matches")).getDomProperty("textContent");
        assertTrue(systemMatches.startsWith("common: matches "), systemMatches);
        for (WebElement r : rows) {
            WebElement box = r.findElement(By.cssSelector("input.pick-indicator"));
            if (box.isSelected() && r != domain) clickOnAnyPage(box);
        }
        clickOnAnyPage(row(rows, "process_name:powershell.exe").findElement(By.cssSelector("input.pick-indicator")));
        new Select(browser.findElement(By.id("operator"))).selectByValue("OR");
        Browsers.screenshot(browser, "intel-new");
        browser.findElement(By.id("ioc-name")).sendKeys(HOSTILE);
        browser.findElement(By.id("generate")).click();
        browser.findElement(By.id("ioc-tree")); // waits for the IOC's page

        assertEquals("IOC: " + HOSTILE, browser.findElement(By.tagName("h1")).getText(), "the name is text, never markup");
        List<String> items = browser.findElements(By.cssSelector("#ioc-tree li.ioc-item")).stream().map(WebElement::getText).toList();
        assertEquals(java.util.Set.of("Domain name is host3.example.com", "Process name is powershell.exe"), java.util.Set.copyOf(items));
        browser.findElement(By.id("ioc-scan")).click();
        browser.findElement(By.tagName("h2"));
        WebElement section = browser.findElement(By.cssSelector("section.scan-endpoint"));
        assertEquals(WebTestSupport.ENDPOINT, section.getDomAttribute("data-endpoint"));
        assertTrue(browser.findElement(By.tagName("h2")).getText().startsWith("Scan: "), browser.getPageSource());
        Browsers.screenshot(browser, "intel-scan");
        section.findElement(By.cssSelector("button.save-matches")).click();
        assertTrue(browser.findElement(By.id("ioc-saved")).getText().startsWith("Matches saved as evidence item "));
        browser.findElement(By.id("ioc-alert")).click();
        // the click reloads the page: its button is read once the new page has it
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("ioc-alert")).getText().equals("Stop alerting"));
        assertTrue(browser.findElement(By.id("export-openioc")).getDomAttribute("href").endsWith("/openioc.xml"));
        browser.findElement(By.id("nav-alerts")).click();
        browser.findElement(By.id("alerts"));
        Browsers.screenshot(browser, "intel-alerts");
        assertEquals(List.of(), Browsers.consoleErrors(browser).stream().filter(e -> !e.contains("favicon.ico")).toList(),
                "no script or style refused by the CSP");
    }
}
