package trailhound.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for browser tests: Debian's {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver}, never a Selenium Manager download. Tests that call {@link #open}
 * are skipped (with the reason) when Chromium is not installed; CI installs it.
 */
public final class Browsers {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browsers() {}

    /** A fresh headless browser with its own profile; downloads go to {@code downloads} without asking. */
    public static ChromeDriver open(Path profile, Path downloads) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: /usr/bin/chromium and /usr/bin/chromedriver are not installed"
                        + " (apt-get install chromium chromium-driver)");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--ignore-certificate-errors", "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false));
        // Console messages are read back by consoleErrors: a Content-Security-Policy violation shows there.
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // Generous: the machine running the tests may be busy; waits end as soon as the element is there.
        driver.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
        return driver;
    }

    /*
     * Every findElements waits out the implicit wait when nothing matches, so a check that something is
     * absent cost 15 s each (a third of the browser tests' time). These look once, without it; use them
     * only once the page is in the state to check (loaded, or another element waited for).
     */
    private static final Duration IMPLICIT_WAIT = Duration.ofSeconds(15);

    /** What {@code by} finds in {@code where} right now, without the implicit wait: for checking absence. */
    public static List<WebElement> now(WebDriver driver, SearchContext where, By by) {
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        try {
            return where.findElements(by);
        } finally {
            driver.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
        }
    }

    /**
     * The page's {@code h1} once it contains {@code part} (or, after 30 s, whatever it says): after a click
     * that loads another page, the old page's heading can be found and then go stale under the read.
     */
    public static String awaitHeading(WebDriver driver, String part) {
        String[] last = {null};
        try {
            new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> (last[0] = d.findElement(By.tagName("h1")).getText()).contains(part));
        } catch (org.openqa.selenium.TimeoutException e) {
            // the caller's assertion reports what the heading said
        }
        return last[0];
    }

    /** Waits until {@code by} finds nothing, or only hidden elements (polling without the implicit wait). */
    public static void gone(WebDriver driver, WebDriverWait wait, By by) {
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        try {
            wait.until(ExpectedConditions.invisibilityOfElementLocated(by));
        } finally {
            driver.manage().timeouts().implicitlyWait(IMPLICIT_WAIT);
        }
    }

    /**
     * The trimmed text of the element with {@code id} right now, or null when there is none: read in one
     * script, so an htmx swap between finding the element and reading it cannot fail the read ("Node
     * with given id does not belong to the document").
     */
    public static String text(WebDriver driver, String id) {
        Object text = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "const e = document.getElementById(arguments[0]); return e ? e.textContent.trim() : null;", id);
        return (String) text;
    }

    /** The browser console's errors since the last call (e.g. "Refused to execute inline script..."). */
    public static List<String> consoleErrors(WebDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Signs in through the login form as {@code admin}. */
    public static void signIn(WebDriver driver, WebTestSupport web) {
        driver.get(web.server().url() + "/login");
        driver.findElement(By.id("username")).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(web.adminPassword());
        driver.findElement(By.id("sign-in")).click();
        driver.findElement(By.id("logout")); // waits until signed in
    }

    /** Saves a screenshot as {@code web/target/screenshots/<name>.png} for reviewers. */
    public static Path screenshot(WebDriver driver, String name) throws IOException {
        Path dir = Path.of(System.getProperty("trailhound.root", "."), "web", "target", "screenshots");
        if (!Files.isDirectory(dir.getParent().getParent())) {
            dir = Path.of("target", "screenshots");
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }
}
