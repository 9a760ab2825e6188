package trailhound.web.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.reputation.SightingsFixture.FIN1_FIRST;
import static trailhound.web.reputation.SightingsFixture.MD5;
import static trailhound.web.reputation.SightingsFixture.SHA256;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * In a real browser, as an analyst whose group holds WS-FIN-*: every hash of svcmon.exe has its badge
 * (the intel file's malicious MD5 too, which a SHA-256-only badge hid), the grid's hash cells fetch
 * theirs, and the report's where-seen links lead to the process, the grid and the Hunt page.
 */
class ReputationBrowserTest {
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
        SightingsFixture.write(web, dir);
        SightingsFixture.addUsers(web);
        browser.get(web.server().url() + "/login");
        browser.findElement(By.id("username")).sendKeys("ana");
        browser.findElement(By.id("password")).sendKeys(SightingsFixture.PW);
        browser.findElement(By.id("sign-in")).click();
        browser.findElement(By.id("logout"));
        Browsers.consoleErrors(browser); // the first page's favicon.ico 404: not this test's business
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    @Test
    void processPage_md5BadgeMalicious_reportListsWhereSeen_linksLeadOn() throws Exception {
        browser.get(web.server().url() + "/endpoints/WS-FIN-01/process/" + FIN1_FIRST);
        assertEquals("Malicious", browser.findElement(By.id("reputation-badge-md5")).getText());
        assertEquals("Unknown", browser.findElement(By.id("reputation-badge")).getText());
        Browsers.screenshot(browser, "process-hash-badges");

        browser.findElement(By.id("reputation-badge-md5")).click();
        wait.until(ExpectedConditions.urlContains("/reputation/" + MD5));
        List<WebElement> endpoints = browser.findElements(By.cssSelector("#seen-endpoints tr.seen-endpoint"));
        assertEquals(List.of("WS-FIN-01 4 2026-11-19T00:00:10.000Z 2026-11-19T00:01:00.000Z",
                "WS-FIN-02 1 2026-11-19T00:05:00.000Z 2026-11-19T00:05:00.000Z"), endpoints.stream().map(WebElement::getText).toList());
        assertEquals(4, browser.findElements(By.cssSelector("#seen-processes tr.seen-process")).size());
        assertFalse(browser.getPageSource().contains("LAB-01"));
        Browsers.screenshot(browser, "reputation-where-seen");

        browser.findElement(By.cssSelector("#seen-processes a[href$='" + FIN1_FIRST + "']")).click();
        wait.until(ExpectedConditions.urlContains("/process/" + FIN1_FIRST));
        assertTrue(browser.findElement(By.id("process-title")).getText().startsWith("svcmon.exe"));

        browser.navigate().back();
        browser.findElement(By.linkText("WS-FIN-01")).click();
        wait.until(ExpectedConditions.urlContains("/endpoints/WS-FIN-01/events"));
        assertEquals("4", browser.findElement(By.id("result-count")).getText());

        browser.navigate().back();
        browser.findElement(By.id("seen-hunt")).click();
        wait.until(ExpectedConditions.urlContains("/hunt?q="));
        assertEquals("5", browser.findElement(By.id("hunt-total")).getText());
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or style refused by the CSP");
    }

    @Test
    void grid_hashCellsFetchTheirBadges() throws Exception {
        browser.get(web.server().url() + "/endpoints/WS-FIN-01/events?q=" + WebTestSupport.enc("type:process AND process_name:svcmon.exe"));
        // badges load as their cells come into view: bring the whole grid into the viewport
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('events').scrollIntoView({block: 'end'})");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#events td .verdict-badge"), 3));
        for (WebElement badge : browser.findElements(By.cssSelector("#events td .verdict-badge"))) {
            assertEquals("Unknown", badge.getText(), "the grid shows the SHA-256 column");
            assertEquals("rgba(138, 138, 138, 1)", badge.getCssValue("background-color"), "styled as on the process page");
            assertEquals(web.server().url() + "/reputation/" + SHA256, badge.getDomProperty("href"));
        }
        Browsers.screenshot(browser, "grid-hash-badges");
        browser.get(web.server().url() + "/endpoints/WS-FIN-01/process/" + FIN1_FIRST);
        browser.findElement(By.cssSelector("[data-tab='tab-events']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#event-history details.event")));
        browser.findElements(By.cssSelector("#event-history details.event summary")).getFirst().click();
        assertTrue(browser.findElements(By.cssSelector("#event-history .verdict-malicious")).size() >= 1);
        assertEquals(List.of(), Browsers.consoleErrors(browser));
    }
}
