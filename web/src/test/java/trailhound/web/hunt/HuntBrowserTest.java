package trailhound.web.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/** The hunt page in a real browser, as an analyst whose one group holds two of the four endpoints. */
class HuntBrowserTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        browser = Browsers.open(Files.createDirectories(dir.resolve("profile")), Files.createDirectories(dir.resolve("downloads")));
        HuntFixture.addEndpoints(web, dir);
        HuntFixture.addUsers(web);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    @Test
    void analystHunts_onlyTheGroupsEndpointsAppear_andACountLeadsToThatGrid() throws Exception {
        browser.get(web.server().url() + "/login");
        browser.findElement(By.id("username")).sendKeys("ana");
        browser.findElement(By.id("password")).sendKeys(HuntFixture.PW);
        browser.findElement(By.id("sign-in")).click();
        browser.findElement(By.id("logout"));
        Browsers.consoleErrors(browser);

        browser.findElement(By.id("nav-hunt")).click();
        // Enter runs the hunt: a click on the button could land on the suggestions list lying over it
        browser.findElement(By.id("hunt-query")).sendKeys("type:process", org.openqa.selenium.Keys.ENTER);
        browser.findElement(By.id("hunt-total"));

        Set<String> counted = new TreeSet<>();
        for (WebElement row : browser.findElements(By.cssSelector("tr.hunt-count"))) counted.add(row.getDomAttribute("data-endpoint"));
        assertEquals(Set.copyOf(HuntFixture.FIN), counted);
        List<WebElement> events = browser.findElements(By.cssSelector("#hunt-events tr.event-row"));
        assertEquals(20 + 12, events.size());
        for (WebElement row : events) assertTrue(HuntFixture.FIN.contains(row.getDomAttribute("data-endpoint")), row.getText());
        assertEquals("32", browser.findElement(By.id("hunt-total")).getText());
        assertTrue(!browser.getPageSource().contains("LAB-01") && !browser.getPageSource().contains(WebTestSupport.ENDPOINT));
        Browsers.screenshot(browser, "hunt-analyst");

        browser.findElement(By.linkText("WS-FIN-02")).click();
        assertEquals("12", browser.findElement(By.id("result-count")).getText());
        assertTrue(browser.getCurrentUrl().contains("/endpoints/WS-FIN-02/events?q=type%3Aprocess"), browser.getCurrentUrl());

        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or style refused by the CSP");

        browser.get(web.server().url() + "/hunt?q=" + WebTestSupport.enc("type:process AND ("));
        assertTrue(browser.findElement(By.id("query-error")).getText().contains("column"), browser.getPageSource());

        // a hunt row's values are pivots: Filter for opens that endpoint's grid with the hunt's query narrowed
        Browsers.consoleErrors(browser); // the 400 above is logged there
        browser.get(web.server().url() + "/hunt?q=" + WebTestSupport.enc("type:process"));
        WebElement row = browser.findElement(By.cssSelector("#hunt-events tr.event-row[data-endpoint='WS-FIN-02']"));
        WebElement name = row.findElement(By.cssSelector(".pv[data-field='process_name']"));
        assertEquals(1, browser.findElements(By.cssSelector("#hunt-events .pv[tabindex='0']")).size(), "the rows are one Tab stop");
        name.click();
        browser.findElement(By.cssSelector("#pv-menu [data-action=filter-for]")).click();
        browser.findElement(By.id("result-count"));
        assertTrue(browser.getCurrentUrl().contains("/endpoints/WS-FIN-02/events"), browser.getCurrentUrl());
        assertEquals("12", browser.findElement(By.id("result-count")).getText(), "every WS-FIN-02 process is x.exe");
        assertTrue(java.net.URLDecoder.decode(browser.getCurrentUrl(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("type:process AND process_name"), browser.getCurrentUrl());
        assertEquals(List.of(), Browsers.consoleErrors(browser));
    }
}
