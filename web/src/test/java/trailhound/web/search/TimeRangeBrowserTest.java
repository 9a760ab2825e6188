package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.ENDPOINT;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * The time picker and the histogram above the grid in a real browser: a quick range, a bar, a span
 * dragged across bars and an absolute range each put {@code from}/{@code to} in the URL, and the grid
 * then counts what the bar (or bars) said.
 */
class TimeRangeBrowserTest {
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
        Browsers.signIn(browser, web);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    private static String url() {
        return URLDecoder.decode(browser.getCurrentUrl(), StandardCharsets.UTF_8);
    }

    private static long count() {
        return Long.parseLong(browser.findElement(By.id("result-count")).getText().replace(",", ""));
    }

    /** Clicks and waits for the next page (the old one's count gone stale). */
    private static void andWait(Runnable action) {
        WebElement old = browser.findElement(By.id("result-count"));
        action.run();
        wait.until(ExpectedConditions.stalenessOf(old));
    }

    private static List<WebElement> bars() {
        return browser.findElements(By.cssSelector("#histogram a.bucket"));
    }

    private static long barCount(WebElement bar) {
        return Long.parseLong(bar.getDomAttribute("data-count"));
    }

    @Test
    void quickRange_thenABar_thenASpan_thenAnAbsoluteRange_gridCountsWhatTheBarsSay() throws Exception {
        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/events");
        Browsers.consoleErrors(browser);
        assertEquals(WebTestSupport.TOTAL, count());
        assertTrue(browser.findElement(By.id("time-anchor")).getText().contains("2026-11-19T00:02:29Z"));

        andWait(() -> browser.findElement(By.id("range-24h")).click());
        assertTrue(url().contains("from=2026-11-18T00:03:00Z&to=2026-11-19T00:03:00Z"), url());
        assertEquals("true", browser.findElement(By.id("range-24h")).getDomAttribute("aria-current"));
        assertEquals(WebTestSupport.TOTAL, count());
        Browsers.screenshot(browser, "time-range-24h");

        // 30 min bars over the day: one holds every event; its link is clipped to the window's end
        WebElement full = bars().stream().filter(b -> barCount(b) > 0).findFirst().orElseThrow();
        assertEquals(WebTestSupport.TOTAL, barCount(full));
        String from = full.getDomAttribute("data-from");
        String to = full.getDomAttribute("data-to");
        andWait(full::click);
        assertTrue(url().contains("from=" + from + "&to=" + to), url() + " for " + from + " - " + to);
        assertEquals("2026-11-19T00:00:00Z", from);
        assertEquals(WebTestSupport.TOTAL, count());

        // now 5 s bars over three minutes: click one
        WebElement third = bars().get(2);
        long expected = barCount(third);
        String thirdFrom = third.getDomAttribute("data-from");
        String thirdTo = third.getDomAttribute("data-to");
        andWait(third::click);
        assertTrue(url().contains("from=" + thirdFrom + "&to=" + thirdTo), url());
        assertEquals(expected, count());
        assertEquals(5, expected);

        // brushing: drag from one bar across to another
        List<WebElement> bars = bars();
        assertEquals(5, bars.size(), "1 s bars over the 5 s");
        long span = barCount(bars.get(1)) + barCount(bars.get(2)) + barCount(bars.get(3));
        String spanFrom = bars.get(1).getDomAttribute("data-from");
        String spanTo = bars.get(3).getDomAttribute("data-to");
        andWait(() -> new Actions(browser).clickAndHold(bars.get(1)).moveToElement(bars.get(2)).moveToElement(bars.get(3))
                .release(bars.get(3)).perform());
        assertTrue(url().contains("from=" + spanFrom + "&to=" + spanTo), url());
        assertEquals(span, count());
        assertEquals(3, span);

        // an absolute range typed into the picker
        WebElement fromBox = browser.findElement(By.id("time-from"));
        fromBox.clear();
        fromBox.sendKeys("2026-11-19T00:01:00Z");
        WebElement toBox = browser.findElement(By.id("time-to"));
        toBox.clear();
        toBox.sendKeys("2026-11-19T00:01:30Z");
        andWait(() -> browser.findElement(By.id("time-apply")).click());
        assertTrue(url().contains("from=2026-11-19T00:01:00Z&to=2026-11-19T00:01:30Z"), url());
        assertEquals(30, count());
        assertEquals(30, bars().stream().mapToLong(TimeRangeBrowserTest::barCount).sum());
        Browsers.screenshot(browser, "time-range-absolute");

        // the typed query keeps the window
        browser.findElement(By.id("tab-typed")).click();
        WebElement typed = browser.findElement(By.id("typed-query"));
        typed.clear();
        typed.sendKeys("type:file");
        // Enter with no suggestion picked runs the search; a click on Search could land on the suggestions list,
        // which opens 150 ms after typing and can lie over the button (two CI runs clicked a suggestion)
        andWait(() -> typed.sendKeys(org.openqa.selenium.Keys.ENTER));
        assertTrue(url().contains("from=2026-11-19T00:01:00Z&to=2026-11-19T00:01:30Z"), url());
        assertEquals(30, count(), "events 60..89 are all file events");

        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or style refused by the CSP");

        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/events?from=soon");
        assertTrue(browser.findElement(By.id("time-error")).getText().contains("The start of the time range must be an ISO-8601 time"));
    }
}
