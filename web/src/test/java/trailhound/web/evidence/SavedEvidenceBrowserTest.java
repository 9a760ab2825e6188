package trailhound.web.evidence;

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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import trailhound.web.Browsers;
import trailhound.web.WebTestSupport;

/**
 * Saving evidence and exporting in a real browser: rows chosen in the grid saved with a note and a
 * tag, the item opening its events in the grid again; a process and a snapshot saved from their
 * pages; the whole result exported in the background and downloaded from the Exports page.
 */
class SavedEvidenceBrowserTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static ChromeDriver browser;
    static WebDriverWait wait;
    static Path downloads;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir);
        downloads = Files.createDirectories(dir.resolve("downloads"));
        browser = Browsers.open(Files.createDirectories(dir.resolve("profile")), downloads);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        Browsers.signIn(browser, web);
        Browsers.consoleErrors(browser); // the sign-in page's (a favicon)
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (web != null) web.close();
    }

    private static String base() {
        return web.server().url();
    }

    /**
     * Third try-out of #16: a file whose name held a byte that is not UTF-8 and one literally named {@code bad\xFF.bin} looked
     * the same under Saved evidence > Files, neither marked, and the mark's tooltip said "�" where the browse page says \xFF.
     */
    @Test
    void files_aByteThatIsNotUtf8_isMarkedAsOnTheBrowsePage_aLiteralBackslashIsNot() throws Exception {
        var files = web.data().store().evidenceFiles();
        byte[] raw = {'/', 's', 'r', 'v', '/', 'b', 'a', 'd', (byte) 0xff, '.', 'b', 'i', 'n'};
        long bad = files.begin(WebTestSupport.ENDPOINT, "/srv/bad\\xFF.bin", raw, "bad\\xFF.bin", "admin", WebTestSupport.T0);
        files.complete(bad, "/srv/bad\\xFF.bin", raw, 3, "ab".repeat(32), WebTestSupport.T0 + 1);
        long literal = files.begin(WebTestSupport.ENDPOINT, "/srv/bad\\xFF.bin", null, "bad\\xFF.bin", "admin", WebTestSupport.T0);
        files.complete(literal, "/srv/bad\\xFF.bin", null, 3, "cd".repeat(32), WebTestSupport.T0 + 1);

        browser.get(base() + "/evidence/files");
        WebElement badRow = browser.findElement(By.cssSelector("tr.evidence-row[data-id='" + bad + "']"));
        WebElement literalRow = browser.findElement(By.cssSelector("tr.evidence-row[data-id='" + literal + "']"));
        assertEquals("/srv/bad\\xFF.bin", badRow.findElement(By.cssSelector(".evidence-path")).getText());
        assertEquals("/srv/bad\\xFF.bin", literalRow.findElement(By.cssSelector(".evidence-path")).getText(), "the same text...");
        assertEquals(List.of("\\xFF"), badRow.findElements(By.cssSelector(".evidence-path .bad-byte")).stream().map(WebElement::getText).toList(),
                "...but the byte that is not UTF-8 is marked, as the browse page marks it");
        assertEquals(List.of(), Browsers.now(browser, literalRow, By.cssSelector(".bad-byte, .odd-name")), "a literal backslash is a plain name");
        WebElement mark = badRow.findElement(By.cssSelector(".odd-name"));
        assertEquals("unusual name", mark.getText());
        assertEquals(trailhound.web.live.LiveFiles.UNUSUAL_TITLE, mark.getAttribute("title"), "the browse page's own tooltip");
        assertTrue(mark.getAttribute("title").contains("\\xFF") && !mark.getAttribute("title").contains("\ufffd"), mark.getAttribute("title"));
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or CSP errors");
    }

    @Test
    void twoUsersEditingOneItem_savingTheTagsKeepsTheOthersNote_editingTheNoteTooIsRefused() throws Exception {
        var other = web.server().access().scope(trailhound.access.Caller.commandLine()).savedEvidence();
        long id = other.saveProcess(WebTestSupport.ENDPOINT, WebTestSupport.CHROME, "first words\nsecond line", List.of("old")).id();
        browser.get(base() + "/evidence/processes");
        other.describe(id, "their note, written meanwhile", null); // another user, through the API, while the page is open
        WebElement row = browser.findElement(By.cssSelector("tr.evidence-item[data-id='" + id + "']"));
        WebElement tags = row.findElement(By.cssSelector("input[name=tags]"));
        tags.clear();
        tags.sendKeys("old, triaged");
        row.findElement(By.cssSelector("button.evidence-save-note")).click();
        // the page it was typed on is already at this URL: wait for the saved form's answer to replace it
        wait.until(ExpectedConditions.stalenessOf(row));
        wait.until(ExpectedConditions.urlContains("/evidence/processes"));
        var saved = other.find(id).orElseThrow();
        assertEquals("their note, written meanwhile", saved.note(), "the note nobody changed here stays theirs");
        assertEquals(List.of("old", "triaged"), saved.tags());

        browser.get(base() + "/evidence/processes");
        other.describe(id, "their second note", null);
        WebElement again = browser.findElement(By.cssSelector("tr.evidence-item[data-id='" + id + "']"));
        WebElement note = again.findElement(By.cssSelector("textarea[name=note]"));
        note.clear();
        note.sendKeys("my note");
        again.findElement(By.cssSelector("button.evidence-save-note")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "changed since you opened the page"));
        assertEquals("their second note", other.find(id).orElseThrow().note(), "nothing overwritten");
        assertTrue(Browsers.consoleErrors(browser).stream().allMatch(e -> e.contains("409")), "the refusal is the only error logged");
    }

    @Test
    void chosenRows_savedWithANoteAndTag_openTheirEventsInTheGridAgain() {
        browser.get(base() + "/endpoints/" + WebTestSupport.ENDPOINT + "/events?q=type:registry");
        List<WebElement> picks = browser.findElements(By.cssSelector("input.pick-row"));
        assertEquals(7, picks.size());
        picks.get(0).click();
        picks.get(2).click();
        browser.findElement(By.cssSelector("#grid-selection input[name=note]")).sendKeys("run key set by powershell");
        browser.findElement(By.cssSelector("#grid-selection input[name=tags]")).sendKeys("persistence");
        browser.findElement(By.id("save-evidence")).click();
        wait.until(ExpectedConditions.urlContains("/evidence/events?new="));
        WebElement row = browser.findElement(By.cssSelector("tr.evidence-item.highlight"));
        assertTrue(row.getText().startsWith(row.getAttribute("data-id")), row.getText());
        assertEquals("2", row.findElement(By.cssSelector("td.num")).getText());
        assertEquals("run key set by powershell", row.findElement(By.cssSelector("textarea[name=note]")).getAttribute("value"));
        assertEquals("persistence", row.findElement(By.cssSelector("input[name=tags]")).getAttribute("value"));

        row.findElement(By.cssSelector("a.evidence-open")).click();
        wait.until(ExpectedConditions.urlContains("/events?q="));
        assertEquals("2", browser.findElement(By.id("result-count")).getText(), "the item opens as exactly its events");
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or CSP errors");
    }

    @Test
    void theHeadersBox_choosesEveryRow_andTheSavedCopyShowsThoseEvents() throws Exception {
        browser.get(base() + "/endpoints/" + WebTestSupport.ENDPOINT + "/events?q=type:registry");
        WebElement all = browser.findElement(By.id("pick-all"));
        all.click();
        List<WebElement> picks = browser.findElements(By.cssSelector("input.pick-row"));
        assertEquals(7, picks.stream().filter(WebElement::isSelected).count(), "every row of the page chosen");
        picks.get(6).click();
        assertFalse(all.isSelected());
        assertEquals(true, browser.executeScript("return arguments[0].indeterminate;", all), "some chosen: neither ticked nor empty");
        List<String> chosen = picks.subList(0, 6).stream().map(p -> p.getAttribute("value")).sorted().toList();
        browser.findElement(By.id("save-evidence")).click();
        wait.until(ExpectedConditions.urlContains("/evidence/events?new="));
        browser.findElement(By.cssSelector("tr.evidence-item.highlight a.evidence-copy")).click();
        wait.until(ExpectedConditions.urlContains("/evidence/items/"));
        List<String> shown = browser.findElements(By.cssSelector("#evidence-events tr.evidence-event")).stream()
                .map(tr -> tr.getAttribute("data-uid")).sorted().toList();
        assertEquals(chosen, shown, "the saved copy: exactly the chosen events");
        assertTrue(browser.findElement(By.id("evidence-events")).getText().contains("registry"));
        // an event a line (try-out: ~25 lines each), every field on a click as in the grid
        WebElement first = browser.findElement(By.cssSelector("#evidence-events tr.evidence-event"));
        WebElement fields = first.findElement(By.xpath("following-sibling::tr[1]"));
        assertFalse(fields.isDisplayed());
        WebElement line = first.findElement(By.cssSelector("td.one-line"));
        assertEquals("nowrap", browser.executeScript("return getComputedStyle(arguments[0]).whiteSpace;", line));
        assertTrue(line.getText().startsWith("endpoint="), line.getText());
        first.findElement(By.cssSelector("button.expand")).click();
        assertTrue(fields.isDisplayed());
        assertTrue(fields.getText().contains("registry_value_data"), fields.getText());
        Browsers.screenshot(browser, "evidence-saved-copy");
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or CSP errors");
    }

    @Test
    void saveAsEvidence_withNoRowTicked_saysSoAndStaysOnTheGrid() {
        String grid = base() + "/endpoints/" + WebTestSupport.ENDPOINT + "/events?q=type:registry";
        browser.get(grid);
        browser.findElement(By.id("save-evidence")).click();
        WebElement note = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("grid-selection-error")));
        assertEquals("Tick at least one row first (the boxes at the left of the rows).", note.getText());
        assertEquals(grid, browser.getCurrentUrl(), "still on the grid");
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or CSP errors");
    }

    @Test
    void aProcessAndASnapshot_areSavedFromTheirPages_andOpenInTheirContext() {
        browser.get(base() + "/endpoints/" + WebTestSupport.ENDPOINT + "/process/" + WebTestSupport.CHROME);
        browser.findElement(By.id("process-save")).click();
        wait.until(ExpectedConditions.urlContains("/evidence/processes?new="));
        browser.findElement(By.cssSelector("tr.evidence-item.highlight a.evidence-open")).click();
        wait.until(ExpectedConditions.urlContains("/process/" + WebTestSupport.CHROME));

        browser.findElement(By.id("nav-snapshots")).click();
        browser.findElement(By.cssSelector("tr.snapshot-row button.snapshot-save-button")).click();
        wait.until(ExpectedConditions.urlContains("/evidence/snapshots?new="));
        browser.findElement(By.cssSelector("tr.evidence-item.highlight a.evidence-open")).click();
        wait.until(ExpectedConditions.urlContains("/events?snapshot="));
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or CSP errors");
    }

    @Test
    void theWholeResult_exportsInTheBackground_andDownloadsFromTheExportsPage() throws Exception {
        browser.get(base() + "/endpoints/" + WebTestSupport.ENDPOINT + "/events?q=type:dns");
        browser.findElement(By.id("export-background")).click();
        wait.until(ExpectedConditions.urlContains("/exports?new="));
        WebElement link = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr.export-row.highlight a.export-download")));
        String id = browser.findElement(By.cssSelector("tr.export-row.highlight")).getAttribute("id").replace("export-", "");
        assertTrue(browser.findElement(By.cssSelector("tr.export-row.highlight")).getText().contains("12 of 12"));
        link.click();
        Path zip = downloads.resolve("trailhound_export_" + id + ".zip");
        wait.until(d -> Files.exists(zip));
        assertEquals(List.of("trailhound_export_" + id + ".csv"), SevenZip.namesWithoutPassword(zip));
        assertEquals(List.of(), Browsers.consoleErrors(browser), "no script or CSP errors");
    }
}
