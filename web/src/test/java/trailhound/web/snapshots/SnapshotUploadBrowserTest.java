package trailhound.web.snapshots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Snapshots > Upload snapshot in a real browser: a refused file says why and stays on the page; a
 * recorder database copied off an endpoint goes up with Upload & Connect, which opens its grid; the
 * Snapshots list then shows the endpoint with its snapshot, which opens the same grid.
 */
class SnapshotUploadBrowserTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static ChromeDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        browser = Browsers.open(Files.createDirectories(dir.resolve("profile")), Files.createDirectories(dir.resolve("downloads")));
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    @Test
    void upload_refusedThenAccepted_opensTheSnapshotsGrid_andTheListLinksIt() throws Exception {
        Browsers.signIn(browser, web);
        Browsers.consoleErrors(browser); // the sign-in page's (a favicon)
        browser.findElement(By.id("nav-evidence")).click(); // Upload snapshot is under Saved evidence
        browser.findElement(By.id("snapshots-upload")).click();

        Path notes = Files.writeString(dir.resolve("notes.txt"), "nothing an importer reads\n");
        browser.findElement(By.id("upload-file")).sendKeys(notes.toString());
        browser.findElement(By.id("upload-connect")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-error")));
        assertTrue(error.getText().contains("notes.txt: not a file Trailhound reads"), error.getText());
        assertTrue(browser.getCurrentUrl().endsWith("/snapshots/upload"));
        java.util.List<String> refusal = Browsers.consoleErrors(browser);
        assertTrue(refusal.size() == 1 && refusal.getFirst().contains("status of 422"), "only the refusal's answer: " + refusal);

        Path db = SnapshotUploadTest.recorder(dir.resolve("LNX-07 copy.db"), "LNX-07", 120);
        browser.navigate().refresh();
        browser.findElement(By.id("upload-file")).sendKeys(db.toString());
        browser.findElement(By.id("upload-connect")).click();
        wait.until(ExpectedConditions.urlContains("/endpoints/LNX-07/events?snapshot=LNX-07_"));
        String grid = browser.getCurrentUrl();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "/tmp/f119"));

        browser.findElement(By.id("nav-snapshots")).click();
        WebElement row = browser.findElement(By.cssSelector("tr.snapshot-endpoint[data-endpoint='LNX-07']"));
        assertEquals("1", row.findElement(By.cssSelector(".snapshot-count")).getText());
        browser.findElement(By.cssSelector("tr.snapshot-row[data-endpoint='LNX-07'] a.snapshot-open")).click();
        wait.until(ExpectedConditions.urlToBe(grid));
        assertEquals(java.util.List.of(), Browsers.consoleErrors(browser), "no script or CSP errors");
    }
}
