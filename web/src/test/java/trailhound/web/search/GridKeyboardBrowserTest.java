package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * Issue #14: every pivot value was a Tab stop, so a grid page of 100 rows held about a thousand. The
 * grid is one Tab stop (roving tabindex); arrow keys move between its values, Enter still opens the
 * menu, Escape brings focus back, and Tab leaves the grid.
 */
class GridKeyboardBrowserTest {
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

    @Test
    void grid_oneTabStop_arrowKeysMoveBetweenValues_tabLeaves() throws Exception {
        browser.get(web.server().url() + "/endpoints/" + WebTestSupport.ENDPOINT + "/events?cols=type,process_name,user");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events .pv[role=button]")));
        Browsers.consoleErrors(browser);
        long values = browser.findElements(By.cssSelector("#events .pv")).size();
        assertTrue(values > 200, "a page of 100 rows holds many values: " + values);
        List<WebElement> stops = browser.findElements(By.cssSelector("#events .pv[tabindex='0']"));
        assertEquals(1, stops.size(), "the grid is one Tab stop");
        WebElement first = stops.getFirst();
        assertEquals("type", first.getDomAttribute("data-field"), "the first row's first value");

        first.sendKeys(Keys.ARROW_RIGHT);
        WebElement second = focused();
        assertEquals("process_name", second.getDomAttribute("data-field"));
        assertEquals("0", second.getDomAttribute("tabindex"), "the value last reached is the Tab stop");
        assertEquals("-1", first.getDomAttribute("tabindex"));

        second.sendKeys(Keys.ARROW_DOWN);
        WebElement below = focused();
        assertEquals("process_name", below.getDomAttribute("data-field"), "down keeps the column");
        assertFalse(below.equals(second));
        assertEquals(below.findElement(By.xpath("ancestor::tr[1]")),
                second.findElement(By.xpath("ancestor::tr[1]/following-sibling::tr[contains(@class,'event-row')][1]")), "the next row");
        below.sendKeys(Keys.ARROW_UP);
        assertEquals(second, focused());
        focused().sendKeys(Keys.HOME);
        assertEquals(first, focused());
        focused().sendKeys(Keys.END);
        List<WebElement> rows = browser.findElements(By.cssSelector("#events tr.event-row"));
        assertEquals(rows.getLast(), focused().findElement(By.xpath("ancestor::tr[1]")), "End: the last row's last value");

        // the menu's keyboard behaviour is kept
        WebElement last = focused();
        last.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pv-menu")));
        focused().sendKeys(Keys.ESCAPE);
        Browsers.gone(browser, wait, By.id("pv-menu"));
        assertEquals(last, focused());
        assertEquals(1, browser.findElements(By.cssSelector("#events .pv[tabindex='0']")).size());

        // Tab leaves the grid, and Shift+Tab comes back to the value last reached
        last.sendKeys(Keys.TAB);
        assertFalse((Boolean) browser.executeScript("return document.getElementById('events').contains(document.activeElement)"),
                "Tab leaves the grid");
        focused().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertEquals(last, focused());
        assertEquals(List.of(), Browsers.consoleErrors(browser));
    }

    private static WebElement focused() {
        return browser.switchTo().activeElement();
    }
}
