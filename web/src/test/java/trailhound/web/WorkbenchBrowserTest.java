package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.web.WebTestSupport.ENDPOINT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The workbench pages in headless Chromium: one browser for the class, screenshots under web/target/screenshots. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchBrowserTest {
    @TempDir
    static Path dir;

    static WebTestSupport web;
    static ChromeDriver browser;
    static Path downloads;

    @BeforeAll
    static void start() throws Exception {
        downloads = Files.createDirectories(dir.resolve("downloads"));
        Path profile = Files.createDirectories(dir.resolve("profile"));
        web = WebTestSupport.start(dir);
        browser = Browsers.open(profile, downloads);
        Browsers.signIn(browser, web);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (web != null) {
            web.close();
        }
    }

    @Test
    @Order(1)
    void endpoints_typeAhead_filtersRows() throws Exception {
        browser.get(web.server().url() + "/endpoints");
        Browsers.screenshot(browser, "endpoints");
        browser.findElement(By.id("endpoint-filter")).sendKeys("zzz");
        waitFor(d -> Browsers.now(d, d, By.cssSelector(".endpoint-row")).isEmpty());
        browser.findElement(By.id("endpoint-filter")).clear();
        browser.findElement(By.id("endpoint-filter")).sendKeys("10.1.2");
        waitFor(d -> d.findElements(By.cssSelector(".endpoint-row")).size() == 1);
    }

    @Test
    @Order(2)
    void builder_twoRows_countThenTypedAndBack() throws Exception {
        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/events");
        addRow("type", "EQUALS", "network");
        addRow("port", "EQUALS", "8443");
        waitFor(d -> "5".equals(Browsers.text(d, "result-count")));
        assertEquals(2, browser.findElements(By.cssSelector(".builder-row")).size());
        Browsers.screenshot(browser, "events-builder");

        browser.findElement(By.id("tab-typed")).click();
        WebElement typed = browser.findElement(By.id("typed-query"));
        assertEquals("type:network AND port:8443", typed.getAttribute("value"));
        typed.clear();
        typed.sendKeys("type:dns AND user:*bob*");
        Browsers.screenshot(browser, "events-typed");
        browser.findElement(By.id("tab-builder")).click();
        waitFor(d -> d.findElements(By.cssSelector(".builder-row")).size() == 2
                && d.findElement(By.cssSelector(".builder-row .value")).getText().equals("dns")
                && "12".equals(Browsers.text(d, "result-count")));

        // Click a row, change it, Update.
        browser.findElement(By.cssSelector(".builder-row .parameter")).click();
        WebElement value = browser.findElement(By.id("builder-value"));
        value.clear();
        value.sendKeys("image");
        browser.findElement(By.id("builder-update")).click();
        waitFor(d -> "13".equals(Browsers.text(d, "result-count")));
    }

    @Test
    @Order(3)
    void distribution_sortByCount_largestFirst() throws Exception {
        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/distribution");
        assertEquals(List.of("dns", "file", "image", "network", "process", "registry"), barLabels());
        browser.findElement(By.id("sort-by-count")).click();
        List<String> byCount = List.of("file", "network", "image", "dns", "registry", "process");
        waitFor(d -> barLabels().equals(byCount));
        assertEquals(byCount, barLabels());
        Browsers.screenshot(browser, "distribution");
        browser.findElement(By.cssSelector("g.bar-row[data-label='dns'] rect.bar")).click();
        waitFor(d -> "12".equals(Browsers.text(d, "result-count")));
    }

    @Test
    @Order(4)
    void export_excel_downloadsWorkbookWithRowPerEvent() throws Exception {
        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/events?q=type%3Anetwork");
        browser.findElement(By.id("export-xlsx")).click();
        // Chromium reserves the final name with an empty file and writes into a .crdownload beside it:
        // the download is complete once the temporary file is gone and the workbook opens whole
        Integer rows = waitFor(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                List<Path> all = files.toList();
                if (all.stream().anyMatch(f -> f.toString().endsWith(".crdownload"))) return null;
                Path xlsx = all.stream().filter(f -> f.toString().endsWith(".xlsx") && size(f) > 0).findFirst().orElse(null);
                if (xlsx == null) return null;
                try (XSSFWorkbook wb = new XSSFWorkbook(Files.newInputStream(xlsx))) {
                    return wb.getSheet("Events").getPhysicalNumberOfRows();
                } catch (java.io.IOException | RuntimeException stillWriting) {
                    return null;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(1 + 25, rows);
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            return 0; // renamed or removed meanwhile: not there yet
        }
    }

    @Test
    @Order(5)
    void badQuery_showsMessageAndKeepsText() throws Exception {
        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/events?q=nosuchfield%3Ax&view=typed");
        assertTrue(browser.findElement(By.id("query-error")).getText().contains("column"));
        assertEquals("nosuchfield:x", browser.findElement(By.id("typed-query")).getAttribute("value"));
        Browsers.screenshot(browser, "events-bad-query");
    }

    /** Waits up to 20 s; a page replaced while the condition reads it is read again, not an error. */
    private static <T> T waitFor(java.util.function.Function<org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    @Test
    @Order(6)
    void everyPage_underTheContentSecurityPolicy_noViolationAndHtmxWorks() throws Exception {
        Browsers.consoleErrors(browser);
        String url = web.server().url();
        for (String page : List.of("/endpoints", "/endpoints/" + ENDPOINT + "/events", "/endpoints/" + ENDPOINT + "/distribution",
                "/endpoints/" + ENDPOINT + "/events?q=" + WebTestSupport.enc("type:process"),
                "/endpoints/" + ENDPOINT + "/process/" + WebTestSupport.POWERSHELL, "/jobs", "/nope")) {
            browser.get(url + page);
            browser.findElement(By.tagName("footer"));
            List<String> errors = Browsers.consoleErrors(browser).stream()
                    .filter(e -> e.contains("Content Security Policy") || e.contains("Content-Security-Policy")).toList();
            assertEquals(List.of(), errors, page);
        }
        // htmx (a script from /webjars) still swaps rows in under script-src 'self'
        browser.get(url + "/endpoints");
        browser.findElement(By.id("endpoint-filter")).sendKeys("zzz");
        waitFor(d -> Browsers.now(d, d, By.cssSelector(".endpoint-row")).isEmpty());
        assertEquals(List.of(), Browsers.consoleErrors(browser).stream().filter(e -> e.contains("Content Security Policy")).toList());
    }

    /** Issue 14: "/" focuses the query box; the builder and typed tabs move with the arrow keys. */
    @Test
    @Order(7)
    void keyboard_slashFocusesTheQuery_arrowsMoveBetweenTabs() throws Exception {
        browser.get(web.server().url() + "/endpoints/" + WebTestSupport.ENDPOINT + "/events?q=type%3Adns");
        new org.openqa.selenium.interactions.Actions(browser).sendKeys("/").perform();
        assertEquals("typed-query", browser.switchTo().activeElement().getAttribute("id"));
        WebElement typedTab = browser.findElement(By.id("tab-typed"));
        typedTab.sendKeys(org.openqa.selenium.Keys.ARROW_LEFT);
        assertEquals("tab-builder", browser.switchTo().activeElement().getAttribute("id"));
        assertEquals("true", browser.findElement(By.id("tab-builder")).getAttribute("aria-selected"));
    }

    /** Issue 14: Enter on an edited row updates it (it added a row before); rows by keyboard; the last parameter kept. */
    @Test
    @Order(8)
    void builder_enterUpdatesTheEditedRow_rowsByKeyboard_lastParameterKept() throws Exception {
        browser.get(web.server().url() + "/endpoints/" + ENDPOINT + "/events");
        addRow("type", "EQUALS", "network");
        assertEquals("type", new Select(browser.findElement(By.id("builder-parameter"))).getFirstSelectedOption().getAttribute("value"),
                "the parameter just added is still chosen");
        WebElement row = browser.findElement(By.cssSelector(".builder-row"));
        row.sendKeys(org.openqa.selenium.Keys.ENTER); // reachable and opened by keyboard
        WebElement value = browser.findElement(By.id("builder-value"));
        assertEquals("builder-value", browser.switchTo().activeElement().getAttribute("id"));
        String before = browser.getCurrentUrl();
        value.clear();
        value.sendKeys("dns", org.openqa.selenium.Keys.ENTER);
        waitFor(d -> !d.getCurrentUrl().equals(before));
        assertEquals(1, browser.findElements(By.cssSelector(".builder-row")).size(), "updated, not added");
        waitFor(d -> "12".equals(Browsers.text(d, "result-count")));
    }

    private static void addRow(String parameter, String operand, String value) {
        String before = browser.getCurrentUrl();
        new Select(browser.findElement(By.id("builder-parameter"))).selectByValue(parameter);
        new Select(browser.findElement(By.id("builder-operand"))).selectByValue(operand);
        browser.findElement(By.id("builder-value")).sendKeys(value);
        browser.findElement(By.id("builder-add")).click();
        waitFor(d -> !d.getCurrentUrl().equals(before));
    }

    private static List<String> barLabels() {
        return browser.findElements(By.cssSelector("g.bar-row")).stream()
                .sorted(java.util.Comparator.comparingInt(g -> Integer.parseInt(
                        g.getAttribute("transform").replaceAll(".*,(\\d+)\\).*", "$1"))))
                .map(g -> g.getAttribute("data-label"))
                .toList();
    }
}
