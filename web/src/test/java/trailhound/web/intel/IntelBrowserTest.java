package trailhound.web.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    @Test
    void evidenceBasedIoc_generateScanAndSaveMatches() throws Exception {
        Browsers.signIn(browser, web);
        Browsers.consoleErrors(browser); // the first page's favicon.ico 404
        browser.findElement(By.id("nav-intel")).click();
        browser.findElement(By.id("add-evidence-ioc")).click();
        for (WebElement box : browser.findElements(By.cssSelector("#pick-evidence input[name=evidence]"))) box.click();
        browser.findElement(By.id("pick")).click();

        List<WebElement> rows = browser.findElements(By.cssSelector("#candidates tr.candidate-row"));
        assertEquals(2, rows.size(), browser.getPageSource());
        WebElement dns = rows.stream().filter(r -> r.getText().contains("dns query")).findFirst().orElseThrow();
        WebElement process = rows.stream().filter(r -> r.getText().contains("process start")).findFirst().orElseThrow();
        Select dnsRow = new Select(dns.findElement(By.cssSelector("select.indicator")));
        assertEquals("Domain name: host3.example.com", dnsRow.getFirstSelectedOption().getText(), "a DNS event's default: its name");
        assertTrue(dnsRow.getOptions().stream().anyMatch(o -> o.getText().startsWith("IP address: ")), "its addresses are offered too");
        Select psRow = new Select(process.findElement(By.cssSelector("select.indicator")));
        psRow.selectByVisibleText(psRow.getOptions().stream().map(WebElement::getText).filter(t -> t.startsWith("Process name: ")).findFirst()
                .orElseThrow());
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
        assertEquals("Stop alerting", browser.findElement(By.id("ioc-alert")).getText());
        assertTrue(browser.findElement(By.id("export-openioc")).getDomAttribute("href").endsWith("/openioc.xml"));
        browser.findElement(By.id("nav-alerts")).click();
        browser.findElement(By.id("alerts"));
        Browsers.screenshot(browser, "intel-alerts");
        assertEquals(List.of(), Browsers.consoleErrors(browser).stream().filter(e -> !e.contains("favicon.ico")).toList(),
                "no script or style refused by the CSP");
    }
}
