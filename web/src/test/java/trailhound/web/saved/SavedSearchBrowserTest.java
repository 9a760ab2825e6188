package trailhound.web.saved;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import trailhound.ingest.Ingestor;
import trailhound.query.QueryLanguage;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * Saving a search from the grid and opening its link as other users, and the typed query's
 * autocomplete driven by the keyboard only, in a real browser. {@value #HOSTILE_HOST} holds a command
 * line that is markup with a script in it.
 */
class SavedSearchBrowserTest {
    private static final String EP = WebTestSupport.ENDPOINT;
    private static final String HOSTILE_HOST = "WS-HOSTILE-01";
    private static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\">payload";

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
        SavedSearchFixture.addUsers(web);
        String line = "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"" + HOSTILE_HOST + "\","
                + "\"UtcTime\":\"2026-11-19 00:00:01.000\",\"ProcessGuid\":\"{00000000-0000-0000-0000-000000000001}\",\"ProcessId\":\"7\","
                + "\"Image\":\"C:\\\\x.exe\",\"CommandLine\":" + new com.fasterxml.jackson.databind.node.TextNode(HOSTILE)
                + ",\"User\":\"CORP\\\\ana\"}\n";
        new Ingestor(web.data(), 1).ingest(Files.writeString(dir.resolve("hostile.json"), line), null);
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

    private static void signIn(String user, String password) {
        browser.manage().deleteAllCookies();
        browser.get(web.server().url() + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("sign-in")).click();
        browser.findElement(By.id("logout"));
    }

    private static long count(String endpoint, String query) throws Exception {
        try (IndexBackend.Lease lease = web.data().indexes().acquire(endpoint)) {
            return lease.index().count(QueryLanguage.parse(query));
        }
    }

    /** The values listed now, read in one script call (the list is re-rendered as answers arrive). */
    @SuppressWarnings("unchecked")
    private static List<String> suggestions() {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#typed-suggestions li .value')].map(e => e.textContent);");
    }

    @Test
    void savedFromTheGrid_itsLinkRunsTheSearchForAColleague_andIsNotFoundForAnOutsider() throws Exception {
        Browsers.signIn(browser, web);
        Browsers.consoleErrors(browser);
        browser.get(web.server().url() + "/endpoints/" + EP + "/events?view=typed&q=" + WebTestSupport.enc("type:dns"));
        browser.findElement(By.id("save-search-open")).click();
        browser.findElement(By.id("save-search-name")).sendKeys("DNS of the test endpoint <b>bold</b>");
        browser.findElement(By.id("save-search-shared")).click();
        browser.findElement(By.id("save-search-submit")).click();
        assertTrue(browser.findElement(By.id("saved-notice")).getText().contains("Saved “DNS of the test endpoint <b>bold</b>”"));
        WebElement open = browser.findElement(By.cssSelector("a.saved-open"));
        assertEquals("DNS of the test endpoint <b>bold</b>", open.getText(), "the name is text, not markup");
        String link = open.getDomProperty("href");
        Browsers.screenshot(browser, "saved-searches");
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or style refused by the CSP");

        signIn("ana", SavedSearchFixture.PW);
        browser.get(link);
        assertEquals(String.valueOf(count(EP, "type:dns")), browser.findElement(By.id("result-count")).getText());
        assertEquals("type:dns", browser.findElement(By.id("typed-query")).getDomProperty("value"));

        signIn("hal", SavedSearchFixture.PW);
        browser.get(link);
        String page = browser.findElement(By.tagName("main")).getText();
        assertTrue(page.contains("unknown saved search"), page);
        assertFalse(browser.getPageSource().contains(EP), "nothing says which endpoint it searched");
        browser.findElement(By.id("nav-saved")).click();
        assertFalse(browser.getPageSource().contains("DNS of the test endpoint"));
    }

    @Test
    void autocomplete_byKeyboardOnly_fieldThenValue_andEscapeCloses() throws Exception {
        Browsers.signIn(browser, web);
        Browsers.consoleErrors(browser); // what earlier tests left (an expected 404)
        browser.get(web.server().url() + "/endpoints/" + EP + "/events?view=typed");
        WebElement typed = browser.findElement(By.id("typed-query"));
        typed.click();
        typed.sendKeys("process_n");
        wait.until(d -> suggestions().contains("process_name:"));
        assertEquals("true", typed.getDomAttribute("aria-expanded"));
        typed.sendKeys(Keys.TAB);
        assertEquals("process_name:", typed.getDomProperty("value"));
        typed.sendKeys("POW");
        wait.until(d -> suggestions().equals(List.of("powershell.exe"))); // the answer for "pow", not the one for "" before it
        String count = (String) browser.executeScript("return document.querySelector('#typed-suggestions li .count').textContent;");
        Browsers.screenshot(browser, "typed-autocomplete-open");
        assertEquals(String.valueOf(count(EP, "process_name:powershell.exe")), count.replace(",", ""));
        typed.sendKeys(Keys.ARROW_DOWN);
        assertEquals("typed-suggestion-0", typed.getDomAttribute("aria-activedescendant"));
        typed.sendKeys(Keys.ENTER);
        assertEquals("process_name:powershell.exe ", typed.getDomProperty("value"));
        wait.until(d -> suggestions().equals(List.of("AND", "OR", "NOT", "AND NOT"))); // issue 14: the operators, before a key is typed

        typed.sendKeys("AN");
        wait.until(d -> suggestions().contains("AND"));
        typed.sendKeys(Keys.ESCAPE);
        Browsers.gone(browser, wait, By.id("typed-suggestions"));
        typed.sendKeys(Keys.BACK_SPACE, Keys.BACK_SPACE);
        typed.sendKeys("AND user:corp");
        wait.until(d -> suggestions().contains("corp\\bob"));
        typed.sendKeys(Keys.TAB);
        assertEquals("process_name:powershell.exe AND user:\"corp\\\\bob\" ", typed.getDomProperty("value"), "quoted as the language reads it");
        typed.sendKeys(Keys.ENTER); // nothing picked: Enter runs the search
        assertEquals(String.valueOf(count(EP, "process_name:powershell.exe AND user:\"corp\\\\bob\"")),
                browser.findElement(By.id("result-count")).getText().replace(",", ""));
        Browsers.screenshot(browser, "typed-autocomplete");
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or style refused by the CSP");
    }

    @Test
    void hostileValues_areSuggestedAsText_neverRun() throws Exception {
        Browsers.signIn(browser, web);
        browser.get(web.server().url() + "/endpoints/" + HOSTILE_HOST + "/events?view=typed");
        WebElement typed = browser.findElement(By.id("typed-query"));
        typed.click();
        typed.sendKeys("command_line:\"<img"); // quoted: a bare < is "less than"
        wait.until(d -> suggestions().contains(HOSTILE.toLowerCase()));
        assertEquals(0, Browsers.now(browser, browser, By.cssSelector("#typed-suggestions img")).size(), "no element made from a value");
        typed.sendKeys(Keys.TAB);
        assertEquals("command_line:\"<img src=x onerror=\\\"window.pwned=1\\\">payload\" ", typed.getDomProperty("value"));
        typed.sendKeys(Keys.ENTER);
        assertEquals("1", browser.findElement(By.id("result-count")).getText());
        assertEquals(null, browser.executeScript("return window.pwned === undefined ? null : window.pwned;"));
    }
}
