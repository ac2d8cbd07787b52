package dev.codedeploy.ghaction;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step of action.yml that obtains the adapter: the release asset of the action's own version, found through
 * GitHub's releases API (here a server on loopback) with the workflow's token, so that a private action repository
 * works, checked against the release's published {@code codedeploy-gh-action.jar.sha256}, and downloaded once per
 * runner; or the jar that {@code adapter-jar} names. The adapter then runs with a bad SHA, which proves that it ran
 * without needing a cluster.
 */
class AdapterStepTest {

    private static final String TOKEN = "ghs_privateActionRepoToken42";
    private static final String REPO_API = "/api/repos/shop/codedeploy";

    private static WireMockServer github;
    private static CompositeActionRunner runner;
    private static String jarSha256;

    @TempDir
    Path workDir;

    @BeforeAll
    static void start(@TempDir Path shared) throws IOException, NoSuchAlgorithmException {
        byte[] jar = Files.readAllBytes(AdapterJar.obtain(shared.resolve("built/codedeploy-gh-action.jar")));
        jarSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar));
        github = new WireMockServer(WireMockConfiguration.wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        github.start();
        // v1.2.3: the jar and its checksum, as `sha256sum` writes it
        release("v1.2.3", 1, jar, (jarSha256 + "  codedeploy-gh-action.jar\n").getBytes());
        // v1.2.4: a checksum that is not the jar's
        release("v1.2.4", 2, jar, ("0".repeat(64) + "  codedeploy-gh-action.jar\n").getBytes());
        // v1.2.5: no checksum published
        release("v1.2.5", 3, jar, null);
        // where the runner checks a referenced action out: _actions/<owner>/<repo>/<ref>/<path>
        Path actionDir = Files.createDirectories(shared.resolve("_actions/shop/codedeploy/v1.2.3/gh-action"));
        Files.copy(Path.of(System.getProperty("action.dir"), "action.yml"), actionDir.resolve("action.yml"));
        runner = new CompositeActionRunner(actionDir);
    }

    /** A release as GitHub's API serves it; every request needs the token, as for a private repository. */
    private static void release(String tag, int id, byte[] jar, byte[] checksum) {
        String base = github.baseUrl();
        List<String> assets = new ArrayList<>();
        assets.add(asset(id * 10, "codedeploy-gh-action.jar", tag));
        if (checksum != null) {
            assets.add(asset(id * 10 + 1, "codedeploy-gh-action.jar.sha256", tag));
        }
        String json = "{\"url\": \"" + base + REPO_API + "/releases/" + id + "\", \"assets_url\": \"" + base + REPO_API + "/releases/" + id
                + "/assets\", \"tag_name\": \"" + tag + "\", \"name\": \"" + tag + "\", \"assets\": [" + String.join(", ", assets) + "]}";
        github.stubFor(get(urlPathEqualTo(REPO_API + "/releases/tags/" + tag)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(json)));
        // an asset answers with a redirect to its storage, as GitHub does
        github.stubFor(get(urlPathEqualTo(REPO_API + "/releases/assets/" + id * 10)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Accept", equalTo("application/octet-stream"))
                .willReturn(aResponse().withStatus(302).withHeader("Location", "/storage/" + id * 10)));
        github.stubFor(get(urlPathEqualTo("/storage/" + id * 10)).willReturn(aResponse().withBody(jar)));
        if (checksum != null) {
            github.stubFor(get(urlPathEqualTo(REPO_API + "/releases/assets/" + (id * 10 + 1)))
                    .withHeader("Authorization", equalTo("Bearer " + TOKEN)).withHeader("Accept", equalTo("application/octet-stream"))
                    .willReturn(aResponse().withBody(checksum)));
        }
    }

    private static String asset(int id, String name, String tag) {
        String base = github.baseUrl();
        return "{\"url\": \"" + base + REPO_API + "/releases/assets/" + id + "\", \"id\": " + id + ", \"name\": \"" + name
                + "\", \"uploader\": {\"login\": \"octocat\", \"url\": \"" + base + "/api/users/octocat\"}, \"browser_download_url\": \""
                + base + "/shop/codedeploy/releases/download/" + tag + "/" + name + "\"}";
    }

    @AfterAll
    static void stop() {
        if (github != null) {
            github.stop();
        }
    }

    @BeforeEach
    void forgetRequests() {
        github.resetRequests();
    }

    @Test
    void theReleaseAssetIsDownloadedWithTheWorkflowsTokenCheckedOnceAndRun() throws Exception {
        CompositeActionRunner.Result first = runner.run(Map.of("server-url", "http://127.0.0.1:9", "token", "cd_unused"), github("", ""), Map.of(), workDir);
        CompositeActionRunner.Result second = runner.run(Map.of("server-url", "http://127.0.0.1:9", "token", "cd_unused"), github("", ""), Map.of(), workDir);

        Path cached = workDir.resolve("runner-temp/codedeploy-gh-action/v1.2.3/codedeploy-gh-action.jar");
        assertThat(first.stepOutputs().get("adapter")).as(first.log()).containsEntry("jar", cached.toString());
        assertThat(first.exitCode()).isEqualTo(2);
        assertThat(first.log()).contains("::error title=codedeploy%3A bad input::input 'sha': sha 'main' is not a commit SHA");
        assertThat(second.exitCode()).isEqualTo(2);
        github.verify(1, getRequestedFor(urlPathEqualTo(REPO_API + "/releases/tags/v1.2.3"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        github.verify(1, getRequestedFor(urlPathEqualTo(REPO_API + "/releases/assets/10")));
        github.verify(1, getRequestedFor(urlPathEqualTo(REPO_API + "/releases/assets/11")));
    }

    @Test
    void aJarThatDoesNotMatchItsPublishedChecksumIsNotRun() throws Exception {
        CompositeActionRunner.Result run = runner.run(Map.of("server-url", "http://127.0.0.1:9", "token", "cd_unused"), github("v1.2.4", "shop/codedeploy"), Map.of(), workDir);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.log()).contains("::error title=codedeploy%3A adapter checksum::codedeploy-gh-action.jar of release v1.2.4 of"
                + " shop/codedeploy has sha256 " + jarSha256 + ", but its published codedeploy-gh-action.jar.sha256 says " + "0".repeat(64));
        assertThat(run.stepOutputs()).doesNotContainKey("deploy");
        assertThat(workDir.resolve("runner-temp/codedeploy-gh-action/v1.2.4/codedeploy-gh-action.jar")).doesNotExist();
    }

    @Test
    void aReleaseWithoutAChecksumIsRefused() throws Exception {
        CompositeActionRunner.Result run = runner.run(Map.of("server-url", "http://127.0.0.1:9", "token", "cd_unused"), github("v1.2.5", "shop/codedeploy"), Map.of(), workDir);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.log()).contains("::error title=codedeploy%3A no adapter::the release v1.2.5 of shop/codedeploy has no asset"
                + " codedeploy-gh-action.jar.sha256");
        assertThat(run.stepOutputs()).doesNotContainKey("deploy");
    }

    @Test
    void aMissingReleaseSaysHowToPinTheAction() throws Exception {
        CompositeActionRunner.Result run = runner.run(Map.of("server-url", "http://127.0.0.1:9", "token", "cd_unused"), github("main", "shop/codedeploy"), Map.of(), workDir);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.log()).contains("::error title=codedeploy%3A no adapter::no release main of shop/codedeploy ("
                + github.baseUrl() + REPO_API + "/releases/tags/main): use the action at a release tag"
                + " (uses: shop/codedeploy/gh-action@vX.Y.Z), give a github-token that can read shop/codedeploy, or give adapter-jar");
        assertThat(run.stepOutputs()).doesNotContainKey("deploy");
    }

    @Test
    void aMissingLocalJarIsABadInput() throws Exception {
        Path missing = workDir.resolve("nowhere/codedeploy-gh-action.jar");

        CompositeActionRunner.Result run = runner.run(Map.of("server-url", "http://127.0.0.1:9", "token", "cd_unused", "adapter-jar", missing.toString()),
                github("", ""), Map.of(), workDir);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.log()).contains("::error title=codedeploy%3A bad input::input 'adapter-jar': no readable file " + missing);
        assertThat(github.getAllServeEvents()).isEmpty();
    }

    /** The github context; an empty action ref and repository, as most composite actions get, are read off the action's folder. */
    private static Map<String, String> github(String actionRef, String actionRepository) {
        Map<String, String> context = new HashMap<>();
        context.put("sha", "main");
        context.put("repository", "shop/app");
        context.put("server_url", github.baseUrl());
        context.put("api_url", github.baseUrl() + "/api");
        context.put("run_id", "1");
        context.put("token", TOKEN);
        context.put("action_ref", actionRef);
        context.put("action_repository", actionRepository);
        return context;
    }
}
