package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.openqa.selenium.chrome.ChromeDriver;
import trailhound.access.Caller;
import trailhound.access.Role;

/** The workbench in a real browser as a read-only user and as an analyst whose groups hold no endpoint. */
class AccessBrowserTest {
    private static final String PW = "a long test password";

    @TempDir
    static Path dir;

    static WebTestSupport web;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        browser = Browsers.open(Files.createDirectories(dir.resolve("profile")), Files.createDirectories(dir.resolve("downloads")));
        Caller cli = Caller.commandLine();
        web.server().access().groups().create(cli, "test", "name:WS-TEST-*", List.of());
        web.server().access().groups().create(cli, "lab", "tag:lab", List.of());
        web.server().access().accounts().create(cli, "rita", Role.READ_ONLY, List.of("test"), PW, false);
        web.server().access().accounts().create(cli, "ana", Role.ANALYST, List.of("lab"), PW, false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    private static void signInAs(String user) {
        browser.manage().deleteAllCookies();
        browser.get(web.server().url() + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(PW);
        browser.findElement(By.id("sign-in")).click();
        browser.findElement(By.id("logout"));
    }

    @Test
    void readOnlyLooksButDoesNotExport() throws Exception {
        signInAs("rita");
        browser.get(web.server().url() + "/endpoints");
        assertEquals(1, browser.findElements(By.cssSelector("tr.endpoint-row")).size());
        browser.findElement(By.linkText(WebTestSupport.ENDPOINT)).click();
        browser.findElement(By.id("nav-events"));
        assertTrue(Browsers.now(browser, browser, By.id("export-zip")).isEmpty(), "no export link for read-only users");
        assertTrue(Browsers.now(browser, browser, By.id("nav-users")).isEmpty(), "no administration for read-only users");
        browser.get(web.server().url() + "/endpoints/" + WebTestSupport.ENDPOINT + "/export.zip");
        assertTrue(browser.getPageSource().contains("needs the analyst role"), browser.getPageSource());
        browser.get(web.server().url() + "/endpoints/" + WebTestSupport.ENDPOINT + "/process/" + WebTestSupport.EXPLORER);
        browser.findElement(By.id("nav-events"));
        Browsers.screenshot(browser, "read-only-process");
    }

    @Test
    void anAnalystSeesOnlyTheGroupsEndpoints() throws Exception {
        signInAs("ana");
        browser.get(web.server().url() + "/endpoints");
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
        try {
            assertEquals(0, browser.findElements(By.cssSelector("tr.endpoint-row")).size());
            browser.findElement(By.id("endpoint-filter")).sendKeys("WS");
            Thread.sleep(800); // the type-ahead's request
            assertEquals(0, browser.findElements(By.cssSelector("tr.endpoint-row")).size());
        } finally {
            browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(15));
        }
        browser.get(web.server().url() + "/endpoints/" + WebTestSupport.ENDPOINT + "/events");
        assertTrue(browser.getPageSource().contains("Unknown endpoint"), browser.getPageSource());

        web.server().access().groups().tag(Caller.commandLine(), WebTestSupport.ENDPOINT, List.of("lab"), List.of());
        browser.get(web.server().url() + "/endpoints");
        assertEquals(1, browser.findElements(By.cssSelector("tr.endpoint-row")).size());
        browser.get(web.server().url() + "/endpoints/" + WebTestSupport.ENDPOINT + "/events");
        browser.findElement(By.id("export-zip"));
        Browsers.screenshot(browser, "analyst-grid");
    }
}
