package dev.codedeploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.codedeploy.api.BrowserSessions;
import dev.codedeploy.client.AuditEntry;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (Debian's Chromium, headless, through Selenium) against one in-process cluster:
 * a deploy seen moving through its stages as the test moves it, a rollout in flight with its waves, actions taken on
 * the page and recorded under the person's name, and a read token that sees no action and whose changes the API
 * refuses; and, over plain HTTP, the forms' and headers' defences. The browser tests are skipped, saying why, on a
 * machine without Chromium ({@code ./.ci/run} installs it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final AtomicInteger SHAS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static DashboardCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new DashboardCluster(8, Duration.ofMillis(400));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A commit SHA that looks like one. */
    private static String newSha() throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(
                ("commit " + SHAS.incrementAndGet()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** A browser logged in as {@code person} through the login form. */
    private static Browser loggedIn(String person) throws Exception {
        return loggedIn(person, 1400, 1600);
    }

    private static Browser loggedIn(String person, int width, int height) throws Exception {
        assumeTrue(Browser.installed(), Browser.missing());
        Browser browser = new Browser(width, height);
        browser.logIn(cluster.url, cluster.tokens.get(person));
        return browser;
    }

    private static String stateOf(Browser browser, String list, long deployId) {
        List<WebElement> rows = browser.all(list + " tr[data-deploy-id='" + deployId + "']");
        return rows.isEmpty() ? null : rows.get(0).getAttribute("data-state");
    }

    private static void awaitState(Browser browser, String list, long deployId, DeployState state) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> state.name().equals(stateOf(browser, list, deployId)));
    }

    @Test
    void aDeployMovesThroughItsStagesOnThePage() throws Exception {
        try (Browser browser = loggedIn(DashboardCluster.DEPLOYER)) {
            String token = cluster.tokens.get(DashboardCluster.DEPLOYER);
            assertThat(browser.driver.getCurrentUrl()).isEqualTo(cluster.url + "/dashboard").doesNotContain(token);
            assertThat(browser.driver.getPageSource()).doesNotContain(token);
            Cookie session = browser.driver.manage().getCookieNamed(BrowserSessions.COOKIE);
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Strict");
            assertThat(session.getValue()).doesNotContain(token);

            String sha = newSha();
            Deploy deploy = cluster.client(DashboardCluster.DEPLOYER).createDeploy(CreateDeploy.of(sha).withReason("ship the new cart"));
            long id = deploy.id();

            // no worker runs: the deploy waits in BUILDING with its job queued, and the page shows both
            awaitState(browser, "#deploys-active", id, DeployState.BUILDING);
            browser.await("#jobs tr[data-status=QUEUED]");
            long job = Long.parseLong(browser.await("#jobs tr[data-status=QUEUED]").getAttribute("data-job-id"));
            assertThat(browser.await("#deploys-active tr[data-deploy-id='" + id + "'] li[data-stage=QUEUED]").getAttribute("class"))
                    .contains("running");

            assertThat(cluster.buildNext()).contains(job);
            awaitState(browser, "#deploys-active", id, DeployState.REPLICATING);
            browser.await("#deploys-active tr[data-deploy-id='" + id + "'] li[data-stage=BUILDING].done");
            browser.await("#builds tr[data-build-id='" + job + "']");
            // the queue shows the job COMPLETED, and the tail of its build log on demand
            browser.click("#jobs tr[data-job-id='" + job + "'][data-status=COMPLETED] button[data-caption]");
            Awaitility.await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.await("#job-log").getText()
                    .contains("BUILD SUCCESSFUL") && browser.await("#job-log-caption").getText().contains("job " + job));

            cluster.replicate(job);
            awaitState(browser, "#deploys-recent", id, DeployState.SUCCEEDED);
            browser.awaitGone("#deploys-active tr[data-deploy-id='" + id + "']");
            List<WebElement> stages = browser.all("#deploys-recent tr[data-deploy-id='" + id + "'] li.stage");
            assertThat(stages).extracting(s -> s.getAttribute("data-stage"))
                    .containsExactly("QUEUED", "BUILDING", "REPLICATING", "PUBLISHING", "ROLLING_OUT");
            assertThat(stages).allSatisfy(s -> assertThat(s.getAttribute("class")).contains("done"));
            assertThat(stages).allSatisfy(s -> assertThat(s.findElement(org.openqa.selenium.By.tagName("b")).getText()).isNotBlank());

            // the environment shows the release, every wave open and every host healthy on it, per region
            WebElement env = browser.await("article[data-environment=production]");
            Awaitility.await().atMost(PATIENCE).ignoreExceptions().until(() -> env.findElement(
                    org.openqa.selenium.By.cssSelector(".release")).getText().contains("build " + job));
            Awaitility.await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.all("article[data-environment=production]"
                    + " table.waves tr.open").size() == 3 && browser.all("article[data-environment=production] table.waves td.count.healthy")
                    .stream().mapToInt(c -> Integer.parseInt(c.getText())).sum() == 24);
            assertThat(browser.all("article[data-environment=production] table.regions tr[data-region]"))
                    .extracting(r -> r.getAttribute("data-region")).containsExactlyElementsOf(DashboardCluster.REGIONS);

            // hosts only on demand: the worst first, a page at a time
            browser.await("article[data-environment=production] details.hosts-panel summary").click();
            browser.await("article[data-environment=production] details.hosts-panel button[type=submit]").click();
            assertThat(browser.await("article[data-environment=production] .hosts table").findElements(
                    org.openqa.selenium.By.cssSelector("tr[data-host]"))).hasSize(24);
        }
    }

    /**
     * A rollout in flight, as the README's screenshot shows it: its first wave open and healthy, the later waves'
     * hosts holding the build and waiting; another deploy waiting for a builder, cancelled on the page. The
     * screenshot goes to {@code target/dashboard.png}, or where {@code -Dcodedeploy.screenshot=FILE} says
     * ({@code docs/dashboard.png} for the README). Last, so that the screenshot also shows production's release.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aRolloutInFlightShowsItsWavesAndADeployIsCancelledOnThePage() throws Exception {
        try (Browser browser = loggedIn(DashboardCluster.DEPLOYER, 1400, 1900)) {
            var client = cluster.client(DashboardCluster.DEPLOYER);
            long rollout = client.createDeploy(CreateDeploy.of(newSha()).withEnvironment(DashboardCluster.STAGING)
                    .withReason("try the new checkout")).id();
            awaitState(browser, "#deploys-active", rollout, DeployState.BUILDING);
            long build = Awaitility.await().atMost(PATIENCE).until(cluster::buildNext, java.util.Optional::isPresent).orElseThrow();
            cluster.replicate(build);
            awaitState(browser, "#deploys-active", rollout, DeployState.ROLLING_OUT);
            String staging = "article[data-environment=staging] ";
            browser.await(staging + "table.waves tr[data-wave='1'].open");
            Awaitility.await().atMost(PATIENCE).ignoreExceptions().until(() -> counted(browser, staging + "td.count.healthy") > 0
                    && counted(browser, staging + "td.count.healthy") + counted(browser, staging + "td.count.verified") == 24
                    && counted(browser, staging + "tr[data-wave='1'] td.count.healthy") == counted(browser, staging + "td.count.healthy"));
            assertThat(browser.all(staging + "table.waves tr.open")).hasSize(1);

            long waiting = client.createDeploy(CreateDeploy.of(newSha()).withReason("round the tax per line")).id();
            awaitState(browser, "#deploys-active", waiting, DeployState.BUILDING);
            browser.await("#jobs tr[data-status=QUEUED]");
            browser.screenshot(Path.of(System.getProperty("codedeploy.screenshot", "target/dashboard.png")));

            browser.click("#deploys-active tr[data-deploy-id='" + waiting + "'] button[data-action=cancel]");
            browser.driver.switchTo().alert().accept();
            awaitState(browser, "#deploys-recent", waiting, DeployState.CANCELLED);
            assertThat(client.deploy(waiting).error()).contains("cancelled by " + DashboardCluster.DEPLOYER);
            String cancelledRow = "#deploys-recent tr[data-deploy-id='" + waiting + "']";
            Awaitility.await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(
                    browser.await(cancelledRow).getText().split("cancelled by " + DashboardCluster.DEPLOYER, -1))
                    .as("the row says why the deploy ended once, not in its message and again as its error").hasSize(2));
            assertThat(stateOf(browser, "#deploys-active", rollout)).isEqualTo(DeployState.ROLLING_OUT.name());
        }
    }

    /** The sum of the numbers in the cells {@code css} selects. */
    private static int counted(Browser browser, String css) {
        return browser.all(css).stream().mapToInt(c -> Integer.parseInt(c.getText())).sum();
    }

    @Test
    void anActionOnThePageIsRecordedUnderThePersonsName() throws Exception {
        try (Browser browser = loggedIn(DashboardCluster.ADMIN)) {
            WebElement env = browser.await("article[data-environment=production]");
            env.findElement(org.openqa.selenium.By.cssSelector(".action-form input[name=reason][placeholder='why lock']"))
                    .sendKeys("quarter-end freeze");
            browser.click("article[data-environment=production] button[data-action=lock]");

            Awaitility.await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.await("article[data-environment=production] .lock")
                    .getText().contains("by " + DashboardCluster.ADMIN + ": quarter-end freeze"));
            assertThat(browser.await("#flash").getText()).contains("lock: done");
            List<AuditEntry> history = cluster.client(DashboardCluster.READER).history(DashboardCluster.ENVIRONMENT, 5);
            assertThat(history.get(0).action()).isEqualTo("LOCK");
            assertThat(history.get(0).actor()).isEqualTo(DashboardCluster.ADMIN);

            // a refusal shows the API's message: a locked environment takes no deploy
            assertThat(cluster.client(DashboardCluster.ADMIN).rollout(DashboardCluster.ENVIRONMENT).lock()).isNotNull();
            browser.click("article[data-environment=production] button[data-action=unlock]");
            Awaitility.await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.await("article[data-environment=production] .lock")
                    .getText().equals("none"));
            browser.click("article[data-environment=production] button[data-action=unlock]");
            Awaitility.await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.await("#flash.error").getText()
                    .contains("not locked"));
            assertThat(cluster.client(DashboardCluster.READER).history(DashboardCluster.ENVIRONMENT, 5).get(0).actor())
                    .isEqualTo(DashboardCluster.ADMIN);

            // the session cookie is a credential of the API, and a change made with it needs the page's CSRF token
            String cookie = BrowserSessions.COOKIE + "=" + browser.driver.manage().getCookieNamed(BrowserSessions.COOKIE).getValue();
            HttpResponse<String> whoami = send("GET", "/api/v1/whoami", Map.of("Cookie", cookie));
            HttpResponse<String> forged = send("POST", "/api/v1/environments/production/lock", Map.of("Cookie", cookie,
                    "Content-Type", "application/json"), "{\"reason\":\"not from the page\"}");
            assertThat(whoami.body()).contains("\"name\":\"" + DashboardCluster.ADMIN + "\"");
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.body()).contains("csrf_token_invalid");
            assertThat(cluster.client(DashboardCluster.READER).rollout(DashboardCluster.ENVIRONMENT).lock()).isNull();
        }
    }

    @Test
    void aReadTokenSeesNoActionAndTheApiRefusesItsChanges() throws Exception {
        try (Browser browser = loggedIn(DashboardCluster.READER)) {
            browser.await("article[data-environment=production] .release");
            browser.await("#jobs-filter");
            assertThat(browser.all("button.action, .action-form, .actions")).isEmpty();
            assertThat(browser.await("header .who").getText()).contains(DashboardCluster.READER).contains("read only");

            // what a button would send, sent by hand from the page with its CSRF token: the API refuses it
            Object status = browser.async("var done = arguments[arguments.length - 1];"
                    + "fetch('/api/v1/environments/production/pause', {method: 'POST', headers: {'X-CSRF-Token':"
                    + " document.querySelector('meta[name=codedeploy-csrf]').content}})"
                    + ".then(function (r) { return r.json().then(function (b) { done(r.status + ' ' + b.code); }); });");
            assertThat(status).isEqualTo("403 insufficient_scope");

            // logout ends the session for the API too
            String cookie = BrowserSessions.COOKIE + "=" + browser.driver.manage().getCookieNamed(BrowserSessions.COOKIE).getValue();
            browser.await("form.logout button").click();
            browser.await("input[name=token]");
            assertThat(browser.driver.manage().getCookieNamed(BrowserSessions.COOKIE)).isNull();
            assertThat(send("GET", "/api/v1/whoami", Map.of("Cookie", cookie)).statusCode()).isEqualTo(401);
            browser.open(cluster.url + "/dashboard");
            assertThat(browser.driver.getCurrentUrl()).endsWith("/dashboard/login");

            // a token the server does not have opens nothing
            browser.await("input[name=token]").sendKeys("cdt_not-a-token-of-this-server");
            browser.await("form[action='/dashboard/login'] button").click();
            assertThat(browser.await(".error").getText()).contains("not one of this server's tokens");
            assertThat(browser.driver.manage().getCookieNamed(BrowserSessions.COOKIE)).isNull();
        }
    }

    @Test
    void theFormsRefuseWhatDidNotComeFromThePageAndEveryAssetIsServedHere() throws Exception {
        assertThat(send("GET", "/", Map.of()).headers().firstValue("Location")).contains("/dashboard");
        assertThat(send("GET", "/dashboard", Map.of()).headers().firstValue("Location")).contains("/dashboard/login");
        HttpResponse<String> form = send("GET", "/dashboard/login", Map.of());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'", "script-src 'self'",
                "frame-ancestors 'none'");
        assertThat(form.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(form.headers().firstValue("X-Frame-Options")).contains("DENY");
        String nonceCookie = form.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(nonceCookie).startsWith(Login.NONCE_COOKIE + "=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        java.util.regex.Matcher nonce = java.util.regex.Pattern.compile("name=\"nonce\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(nonce.find()).isTrue();
        String token = cluster.tokens.get(DashboardCluster.DEPLOYER);
        String body = "nonce=" + nonce.group(1) + "&token=" + token;
        Map<String, String> formType = Map.of("Content-Type", "application/x-www-form-urlencoded");

        // another site's form has the field but not the cookie (SameSite=Strict): refused, no session
        HttpResponse<String> crossSite = send("POST", "/dashboard/login", formType, body);
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(BrowserSessions.COOKIE + "=") && !c.startsWith(
                BrowserSessions.COOKIE + "=;"));
        HttpResponse<String> login = send("POST", "/dashboard/login", Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie",
                nonceCookie.substring(0, nonceCookie.indexOf(';'))), body);
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).contains("/dashboard");
        String session = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(BrowserSessions.COOKIE + "="))
                .findFirst().orElseThrow();
        String cookie = session.substring(0, session.indexOf(';'));
        assertThat(session).doesNotContain(token);

        // a logout without the page's CSRF token changes nothing
        assertThat(send("POST", "/dashboard/logout", Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie), "")
                .statusCode()).isEqualTo(403);
        HttpResponse<String> page = send("GET", "/dashboard", Map.of("Cookie", cookie));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain(token).contains("codedeploy-csrf");

        // every script and style comes from this server: the webjars (cached for long, their paths hold versions) and its own
        Assets assets = Assets.load();
        for (String path : List.of(assets.htmx(), assets.sse(), assets.mustache(), assets.script(), assets.style())) {
            HttpResponse<String> asset = send("GET", path, Map.of());
            assertThat(asset.statusCode()).as(path).isEqualTo(200);
            assertThat(page.body()).contains("=\"" + path + "\"");
        }
        assertThat(send("GET", assets.htmx(), Map.of()).headers().firstValue("Cache-Control").orElse("")).contains("max-age=");
        assertThat(page.body()).doesNotContainPattern("(src|href)=\"(https?:)?//");
    }

    private static HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        return send(method, path, headers, null);
    }

    private static HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.url + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
