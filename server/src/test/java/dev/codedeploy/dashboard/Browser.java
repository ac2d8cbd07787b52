package dev.codedeploy.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Debian's Chromium, headless, driven by its chromedriver through Selenium: a fresh profile each time, no network
 * but loopback (the flags keep it from calling home), and Selenium Manager never asked for a driver.
 */
final class Browser implements AutoCloseable {

    /** Debian's chromium, or what {@code -Dcodedeploy.chromium=PATH} names. */
    static final Path CHROMIUM = Path.of(System.getProperty("codedeploy.chromium", "/usr/bin/chromium"));
    /** Debian's chromium-driver, or what {@code -Dcodedeploy.chromedriver=PATH} names. */
    static final Path CHROMEDRIVER = Path.of(System.getProperty("codedeploy.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    private final Path profile;

    Browser(int width, int height) throws IOException {
        profile = Files.createTempDirectory("chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogOutput(System.out).build();
        driver = new ChromeDriver(service, options);
    }

    /** True when this machine has both (apt-get install chromium chromium-driver: ./.ci/run does it). */
    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Opens {@code url}. */
    void open(String url) {
        driver.get(url);
    }

    /** The elements {@code css} selects now. */
    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The first element {@code css} selects, once there is one. */
    WebElement await(String css) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> !all(css).isEmpty());
        return all(css).get(0);
    }

    /** Clicks the first element {@code css} selects, again if the page replaced it meanwhile (the views refresh). */
    void click(String css) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            all(css).get(0).click();
            return true;
        });
    }

    /** Waits until {@code css} selects nothing. */
    void awaitGone(String css) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> all(css).isEmpty());
    }

    /** Runs {@code script} in the page (asynchronously: it calls arguments[arguments.length - 1] with its result). */
    Object async(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Saves what the browser shows as a PNG at {@code file}. */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            dev.codedeploy.testing.EmbeddedServers.delete(profile);
        }
    }
}
