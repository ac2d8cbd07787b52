package dev.codedeploy.dashboard;

import dev.codedeploy.testing.EmbeddedServers;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by its chromedriver through Selenium, for the dashboard's tests (here and in
 * the sandbox's): a fresh profile each time, no network but loopback (the flags keep it from calling home), and
 * Selenium Manager never asked for a driver.
 */
public final class Browser implements AutoCloseable {

    /** Debian's chromium, or what {@code -Dcodedeploy.chromium=PATH} names. */
    public static final Path CHROMIUM = Path.of(System.getProperty("codedeploy.chromium", "/usr/bin/chromium"));
    /** Debian's chromium-driver, or what {@code -Dcodedeploy.chromedriver=PATH} names. */
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("codedeploy.chromedriver", "/usr/bin/chromedriver"));

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The driver, for what this class does not wrap. */
    public final ChromeDriver driver;
    private final Path profile;

    /** A browser whose window is {@code width} by {@code height} pixels. */
    public Browser(int width, int height) throws IOException {
        profile = Files.createTempDirectory("chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    /** True when this machine has both (apt-get install chromium chromium-driver: ./.ci/run does it). */
    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** What a test says when it skips for want of Chromium. */
    public static String missing() {
        return "Chromium and its driver are not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "): the dashboard's browser tests"
                + " need them. ./.ci/run installs them (apt-get install chromium chromium-driver).";
    }

    /** Logs in to the dashboard of the server at {@code url} with {@code token}, through its form, and waits for the page. */
    public void logIn(String url, String token) {
        open(url + "/dashboard");
        await("input[name=token]").sendKeys(token);
        await("form[action='/dashboard/login'] button").click();
        await("#live[data-state=open]");
    }

    /** Opens {@code url}. */
    public void open(String url) {
        driver.get(url);
    }

    /** The elements {@code css} selects now. */
    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The first element {@code css} selects, once there is one. */
    public WebElement await(String css) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> !all(css).isEmpty());
        return all(css).get(0);
    }

    /** Clicks the first element {@code css} selects, again if the page replaced it meanwhile (the views refresh). */
    public void click(String css) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            all(css).get(0).click();
            return true;
        });
    }

    /** Waits until {@code css} selects nothing. */
    public void awaitGone(String css) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> all(css).isEmpty());
    }

    /** Runs {@code script} in the page (asynchronously: it calls arguments[arguments.length - 1] with its result). */
    public Object async(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Saves what the window shows as a PNG at {@code file}. */
    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            EmbeddedServers.delete(profile);
        }
    }
}
