package trailhound.web.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.index.IndexBackend;
import trailhound.query.QueryLanguage;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * The typed query boxes' autocomplete in a real browser (issue #14): the operators right after a
 * value is accepted and for a word in lower case, a Windows path typed as is (single backslashes)
 * suggested and inserted quoted as the grammar reads it, and the hunt page's box suggesting values of
 * the endpoints the user may see only.
 */
class AutocompleteBrowserTest {
    private static final List<String> AFTER_A_VALUE = List.of("AND", "OR", "NOT", "AND NOT");

    @TempDir
    static Path dir;

    static WebTestSupport web;
    static ChromeDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        HuntFixture.addEndpoints(web, dir);
        HuntFixture.addUsers(web);
        browser = Browsers.open(Files.createDirectories(dir.resolve("profile")), Files.createDirectories(dir.resolve("downloads")));
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    @BeforeEach
    void signedOut() {
        browser.manage().deleteAllCookies();
    }

    private static void signIn(String user) {
        browser.get(web.server().url() + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(HuntFixture.PW);
        browser.findElement(By.id("sign-in")).click();
        browser.findElement(By.id("logout"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> suggestions(String list) {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#" + list + " li .value')].map(e => e.textContent);");
    }

    private static String count(String list, int i) {
        return (String) browser.executeScript("return document.querySelectorAll('#" + list + " li .count')[" + i + "].textContent;");
    }

    private static long count(String endpoint, String query) throws Exception {
        try (IndexBackend.Lease lease = web.data().indexes().acquire(endpoint)) {
            return lease.index().count(QueryLanguage.parse(query));
        }
    }

    private static WebElement eventsBox() {
        browser.get(web.server().url() + "/endpoints/WS-FIN-01/events?view=typed");
        WebElement typed = browser.findElement(By.id("typed-query"));
        typed.click();
        return typed;
    }

    @Test
    void eventsBox_operatorsRightAfterAValue_andForALowerCaseWord() throws Exception {
        signIn("ana");
        Browsers.consoleErrors(browser);
        WebElement typed = eventsBox();
        typed.sendKeys("process_name:x");
        wait.until(d -> suggestions("typed-suggestions").equals(List.of("x.exe")));
        typed.sendKeys(Keys.TAB);
        assertEquals("process_name:x.exe ", typed.getDomProperty("value"));
        wait.until(d -> suggestions("typed-suggestions").equals(AFTER_A_VALUE)); // before: nothing until a key was typed
        assertEquals("true", typed.getDomAttribute("aria-expanded"));

        typed.sendKeys("an");
        wait.until(d -> suggestions("typed-suggestions").equals(List.of("AND", "AND NOT"))); // before: none for lower case
        typed.sendKeys(Keys.TAB);
        assertEquals("process_name:x.exe AND ", typed.getDomProperty("value"));
        typed.sendKeys("command_line:mimi");
        wait.until(d -> suggestions("typed-suggestions").equals(List.of("mimikatz.exe sekurlsa::logonpasswords")));
        typed.sendKeys(Keys.ARROW_DOWN, Keys.ENTER);
        String query = "process_name:x.exe AND command_line:\"mimikatz.exe sekurlsa::logonpasswords\" ";
        assertEquals(query, typed.getDomProperty("value"));
        wait.until(d -> suggestions("typed-suggestions").equals(AFTER_A_VALUE));
        WebElement before = browser.findElement(By.id("result-count"));
        typed.sendKeys(Keys.ENTER); // nothing picked: runs the search
        wait.until(ExpectedConditions.stalenessOf(before));
        assertEquals(String.valueOf(count("WS-FIN-01", query)), browser.findElement(By.id("result-count")).getText());
        assertEquals("4", browser.findElement(By.id("result-count")).getText());
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or style refused by the CSP");
    }

    @Test
    void eventsBox_windowsPathTypedAsIs_suggestedAndInsertedQuoted() throws Exception {
        signIn("ana");
        // single backslashes, as a path is copied from Windows; the grammar would read \t as t
        for (String typedPath : List.of("process_path:C:\\Tools\\", "process_path:c:\\tools\\x", "process_path:\"c:\\tools\\x",
                "process_path:c:\\\\tools\\\\")) {
            WebElement typed = eventsBox();
            typed.sendKeys(typedPath);
            wait.until(d -> suggestions("typed-suggestions").equals(List.of("c:\\tools\\x.exe")));
            assertEquals("20", count("typed-suggestions", 0), typedPath);
            typed.sendKeys(Keys.TAB);
            assertEquals("process_path:\"c:\\\\tools\\\\x.exe\" ", typed.getDomProperty("value"), typedPath + ": quoted as the grammar reads it");
        }
        WebElement before = browser.findElement(By.id("result-count"));
        browser.findElement(By.id("typed-query")).sendKeys(Keys.ESCAPE, Keys.ENTER);
        wait.until(ExpectedConditions.stalenessOf(before)); // the search's page, not the one it was typed on
        assertEquals("20", browser.findElement(By.id("result-count")).getText(), "the inserted query finds the path's events");
        assertEquals(20, count("WS-FIN-01", "process_path:\"c:\\\\tools\\\\x.exe\""));
    }

    @Test
    void huntBox_valuesOfTheVisibleEndpointsOnly_fieldsAndOperators() throws Exception {
        signIn("ana"); // group fin: WS-FIN-01 and WS-FIN-02, not LAB-01
        Browsers.consoleErrors(browser);
        browser.get(web.server().url() + "/hunt");
        WebElement hunt = browser.findElement(By.id("hunt-query"));
        hunt.click();
        hunt.sendKeys("command_l");
        wait.until(d -> suggestions("hunt-suggestions").contains("command_line:"));
        hunt.sendKeys(Keys.TAB);
        assertEquals("command_line:", hunt.getDomProperty("value"));
        hunt.sendKeys("mimi");
        wait.until(d -> suggestions("hunt-suggestions").equals(List.of("mimikatz.exe sekurlsa::logonpasswords")));
        assertEquals(String.valueOf(4 + 3), count("hunt-suggestions", 0), "WS-FIN-01's and WS-FIN-02's events, not LAB-01's");
        Browsers.screenshot(browser, "hunt-autocomplete");
        hunt.sendKeys(Keys.TAB);
        assertEquals("command_line:\"mimikatz.exe sekurlsa::logonpasswords\" ", hunt.getDomProperty("value"));
        wait.until(d -> suggestions("hunt-suggestions").equals(AFTER_A_VALUE));
        hunt.sendKeys("o");
        wait.until(d -> suggestions("hunt-suggestions").contains("OR"));
        hunt.sendKeys(Keys.ESCAPE, Keys.BACK_SPACE, Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().contains("/hunt?"));
        assertTrue(browser.getCurrentUrl().contains("q=command_line%3A%22mimikatz.exe+sekurlsa%3A%3Alogonpasswords%22"), browser.getCurrentUrl());
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or style refused by the CSP");

        browser.manage().deleteAllCookies();
        signIn("root"); // an administrator sees LAB-01 too
        browser.get(web.server().url() + "/hunt");
        hunt = browser.findElement(By.id("hunt-query"));
        hunt.click();
        hunt.sendKeys("command_line:mimi");
        wait.until(d -> suggestions("hunt-suggestions").size() == 1);
        assertEquals(String.valueOf(4 + 3 + 2), count("hunt-suggestions", 0));
    }
}
