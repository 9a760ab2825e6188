package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.ENDPOINT;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.schema.Field;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * The events grid in headless Chromium: the column chooser, sorting by a header both ways, the page
 * size, a row expanded with a value copied to the clipboard, "more" on a long value, and a page of
 * 600-character values that stays within the viewport.
 */
class GridBrowserTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static ChromeDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        HostileGridFixture.write(web.data());
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

    /** Runs the action and waits for the next page (the old grid gone stale). */
    private static void andWait(Runnable action) {
        WebElement old = browser.findElement(By.id("events"));
        String before = browser.getCurrentUrl();
        action.run();
        wait.until(ExpectedConditions.stalenessOf(old));
        wait.until(d -> !d.getCurrentUrl().equals(before) && "complete".equals(browser.executeScript("return document.readyState")));
    }

    private static List<String> headerFields() {
        return browser.findElements(By.cssSelector("#events thead th[data-field]")).stream()
                .map(th -> th.getDomAttribute("data-field")).toList();
    }

    private static long overflow() {
        return (Long) browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    }

    @Test
    void chooser_thenSortBothWays_thenPageSize_allInTheUrl() throws Exception {
        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/events");
        Browsers.consoleErrors(browser);
        browser.findElement(By.cssSelector("#col-chooser summary")).click();
        browser.findElement(By.cssSelector("#col-form input[value='type']")).click(); // ticked by default: off
        browser.findElement(By.cssSelector("#col-form input[value='file_path']")).click();
        browser.findElement(By.cssSelector("#col-form input[value='dns_query']")).click();
        andWait(() -> browser.findElement(By.id("col-apply")).click());
        assertTrue(url().contains("cols=operation,pid,process_name,user,file_path,dns_query"), url());
        assertEquals(List.of("ts", "operation", "pid", "process_name", "user", "file_path", "dns_query"), headerFields());

        andWait(() -> browser.findElement(By.cssSelector("th[data-field='ts'] a")).click());
        assertTrue(url().contains("sort=ts"), "the time header turns newest first into oldest first: " + url());
        assertEquals("ascending", browser.findElement(By.cssSelector("th[data-field='ts']")).getDomAttribute("aria-sort"));
        assertEquals("2026-11-19T00:00:00.000Z", browser.findElement(By.cssSelector("#events tbody td.time [data-field='ts']")).getDomAttribute("data-value"));
        assertTrue(url().contains("cols=operation,pid,process_name,user,file_path,dns_query"), "the sort keeps the columns: " + url());
        andWait(() -> browser.findElement(By.cssSelector("th[data-field='ts'] a")).click());
        assertFalse(url().contains("sort="), "newest first is the default, left out of the address: " + url());
        assertEquals("descending", browser.findElement(By.cssSelector("th[data-field='ts']")).getDomAttribute("aria-sort"));
        assertEquals("2026-11-19T00:02:29.000Z", browser.findElement(By.cssSelector("#events tbody td.time [data-field='ts']")).getDomAttribute("data-value"));

        andWait(() -> new Select(browser.findElement(By.id("page-size"))).selectByValue("50"));
        assertTrue(url().contains("size=50") && url().contains("file_path"), url());
        assertEquals(50, browser.findElements(By.cssSelector("#events tr.event-row")).size());
        assertEquals("1-50 of 150", browser.findElement(By.id("position")).getText());
        andWait(() -> browser.findElement(By.id("page-next")).click());
        assertEquals("51-100 of 150", browser.findElement(By.id("position")).getText());
        browser.findElement(By.cssSelector("#col-chooser summary")).click();
        Browsers.screenshot(browser, "grid-chooser-page-2");
        browser.findElement(By.cssSelector("#col-chooser summary")).click();
        andWait(() -> browser.findElement(By.id("page-prev")).click());
        assertEquals("1-50 of 150", browser.findElement(By.id("position")).getText());
        assertEquals(List.of(), Browsers.consoleErrors(browser));
    }

    @Test
    void pastTheLast_offersTheLastPage() {
        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/events?size=50&start=1000");
        assertTrue(browser.findElement(By.id("past-last")).getText().contains("this search has 150 events"));
        andWait(() -> browser.findElement(By.id("page-last")).click());
        assertEquals("101-150 of 150", browser.findElement(By.id("position")).getText());
    }

    @Test
    void rowExpands_everyFieldCopies_theWholeValue() {
        browser.get(web.server().url() + "/endpoints/" + HostileGridFixture.ENDPOINT + "/events");
        browser.executeCdpCommand("Browser.grantPermissions", Map.of("origin", web.server().url(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        Browsers.consoleErrors(browser);
        WebElement row = browser.findElement(By.cssSelector("#events tr.event-row[data-uid='h1']"));
        WebElement detail = browser.findElement(By.cssSelector("#events tr.event-row[data-uid='h1'] + tr.event-detail"));
        assertFalse(detail.isDisplayed());
        row.findElement(By.cssSelector("button.expand")).click();
        assertTrue(detail.isDisplayed());
        assertEquals("true", row.findElement(By.cssSelector("button.expand")).getDomAttribute("aria-expanded"));
        List<String> fields = detail.findElements(By.cssSelector(".pv")).stream().map(e -> e.getDomAttribute("data-field")).toList();
        // the time is shown and copied but no pivot (Pivot.of: a millisecond is no filter anyone means)
        assertEquals(List.of("endpoint", "event_uid", "type", "operation", "process_key", "pid", "process_path",
                "process_name", "command_line", "user"), fields);
        for (String[] copy : new String[][] {{"process_name", HostileGridFixture.MARKUP}, {"user", HostileGridFixture.FORMULA},
                {"command_line", HostileGridFixture.LONG_RUN}}) {
            WebElement dd = detail.findElement(By.xpath(".//dd[span[@data-field='" + copy[0] + "']]"));
            assertEquals(copy[1], dd.findElement(By.cssSelector(".pv")).getDomAttribute("data-value"), "the raw value, unescaped");
            dd.findElement(By.cssSelector("button.copy")).click();
            wait.until(d -> dd.findElement(By.cssSelector("button.copy")).getText().startsWith("Copied"));
            Object clip = browser.executeAsyncScript("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('failed: ' + e));");
            assertEquals(copy[1], clip, copy[0] + " copied whole");
        }
        assertEquals(List.of(), Browsers.now(browser, browser, By.cssSelector("script:not([src])")), "no value became a script");
        assertEquals(List.of(), Browsers.consoleErrors(browser));
    }

    @Test
    void longValues_wrapWithinTheViewport_moreShowsTheWhole() throws Exception {
        List<String> queries = List.of("", "?q=" + WebTestSupport.enc("type:file"),
                "?cols=" + String.join(",", Field.all().stream().map(Field::canonicalName).toList()));
        for (String query : queries) {
            browser.get(web.server().url() + "/endpoints/" + HostileGridFixture.ENDPOINT + "/events" + query);
            browser.findElement(By.id("events"));
            assertTrue(overflow() <= 0, query + ": document wider than the viewport by " + overflow() + " px");
            for (WebElement expand : browser.findElements(By.cssSelector("#events button.expand"))) expand.click();
            for (WebElement more : browser.findElements(By.cssSelector("#events button.more"))) {
                if (more.isDisplayed()) more.click();
            }
            assertTrue(overflow() <= 0, query + ", expanded with more: document wider than the viewport by " + overflow() + " px");
            if (!query.startsWith("?cols")) {
                // the default columns fit: values wrap instead of hiding in the grid's own scroll
                assertEquals(0L, browser.executeScript("const g = document.querySelector('.grid-scroll');"
                        + " return Math.max(0, g.scrollWidth - g.clientWidth);"), query + ": the grid scrolls sideways");
            }
            Browsers.screenshot(browser, "grid-long-values-" + queries.indexOf(query));
        }
        browser.get(web.server().url() + "/endpoints/" + HostileGridFixture.ENDPOINT + "/events?q=" + WebTestSupport.enc("type:file"));
        WebElement cell = browser.findElement(By.cssSelector("#events tbody td.wrap .pv[data-field='file_path']"));
        assertEquals(CellValue.SHOWN + 1, cell.getText().replace("\n", "").length(), "cut at 200 and an ellipsis");
        WebElement more = cell.findElement(By.xpath("following-sibling::button[1]"));
        more.click();
        assertEquals(HostileGridFixture.LONG_PATH, cell.getText().replace("\n", ""));
        assertEquals("less", more.getText());
        more.click();
        assertEquals(CellValue.SHOWN + 1, cell.getText().replace("\n", "").length());
        // wrapped at separators: every line of the cell but the last ends with a backslash
        long height = (Long) browser.executeScript("return Math.round(arguments[0].getBoundingClientRect().height);", cell);
        assertTrue(height > 20, "the cut value wraps onto several lines: " + height);
    }
}
