package dev.codedeploy.ghaction;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step of action.yml that obtains the adapter: the release asset of the action's own version, downloaded once
 * per runner from the repository's releases (here a server on loopback), or the jar that {@code adapter-jar} names.
 * The adapter then runs with a bad SHA, which proves that it ran without needing a cluster.
 */
class AdapterStepTest {

    private static final String RELEASE = "/shop/codedeploy/releases/download/v1.2.3/codedeploy-gh-action.jar";

    private static WireMockServer releases;
    private static CompositeActionRunner runner;

    @TempDir
    Path workDir;

    @BeforeAll
    static void start(@TempDir Path shared) throws IOException {
        byte[] jar = Files.readAllBytes(AdapterJar.obtain(shared.resolve("built/codedeploy-gh-action.jar")));
        releases = new WireMockServer(WireMockConfiguration.wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        releases.start();
        releases.stubFor(get(urlPathEqualTo(RELEASE)).willReturn(aResponse().withStatus(302).withHeader("Location", "/assets/42")));
        releases.stubFor(get(urlPathEqualTo("/assets/42")).willReturn(aResponse().withBody(jar)));
        // where the runner checks a referenced action out: _actions/<owner>/<repo>/<ref>/<path>
        Path actionDir = Files.createDirectories(shared.resolve("_actions/shop/codedeploy/v1.2.3/gh-action"));
        Files.copy(Path.of(System.getProperty("action.dir"), "action.yml"), actionDir.resolve("action.yml"));
        runner = new CompositeActionRunner(actionDir);
    }

    @AfterAll
    static void stop() {
        if (releases != null) {
            releases.stop();
        }
    }

    @BeforeEach
    void forgetRequests() {
        releases.resetRequests();
    }

    @Test
    void theReleaseAssetOfTheActionsVersionIsDownloadedOnceAndRun() throws Exception {
        CompositeActionRunner.Result first = runner.run(Map.of("config", "codedeploy.yml"), github("main"), Map.of(), workDir);
        CompositeActionRunner.Result second = runner.run(Map.of("config", "codedeploy.yml"), github("main"), Map.of(), workDir);

        Path cached = workDir.resolve("runner-temp/codedeploy-gh-action/v1.2.3/codedeploy-gh-action.jar");
        assertThat(first.stepOutputs().get("adapter")).containsEntry("jar", cached.toString());
        assertThat(first.exitCode()).isEqualTo(2);
        assertThat(first.log()).contains("::error title=codedeploy%3A bad input::input 'sha': sha 'main' is not a commit SHA");
        assertThat(second.exitCode()).isEqualTo(2);
        releases.verify(1, getRequestedFor(urlPathEqualTo(RELEASE)));
    }

    @Test
    void aMissingReleaseSaysHowToPinTheAction() throws Exception {
        Map<String, String> github = github("main");
        github.put("action_ref", "main");
        github.put("action_repository", "shop/codedeploy");

        CompositeActionRunner.Result run = runner.run(Map.of("config", "codedeploy.yml"), github, Map.of(), workDir);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.log()).contains("::error title=codedeploy%3A no adapter::cannot download " + releases.baseUrl()
                + "/shop/codedeploy/releases/download/main/codedeploy-gh-action.jar: use the action at a release tag"
                + " (uses: shop/codedeploy/gh-action@vX.Y.Z), or give adapter-jar");
        assertThat(run.stepOutputs()).doesNotContainKey("deploy");
    }

    @Test
    void aMissingLocalJarIsABadInput() throws Exception {
        Path missing = workDir.resolve("nowhere/codedeploy-gh-action.jar");

        CompositeActionRunner.Result run = runner.run(Map.of("config", "codedeploy.yml", "adapter-jar", missing.toString()),
                github("main"), Map.of(), workDir);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.log()).contains("::error title=codedeploy%3A bad input::input 'adapter-jar': no readable file " + missing);
        releases.verify(0, getRequestedFor(urlPathEqualTo("/shop/codedeploy/releases/download/main/codedeploy-gh-action.jar")));
    }

    private static Map<String, String> github(String sha) {
        Map<String, String> github = new HashMap<>();
        github.put("sha", sha);
        github.put("repository", "shop/app");
        github.put("server_url", releases.baseUrl());
        github.put("run_id", "1");
        github.put("token", "");
        // as in most composite actions: empty, so the step reads the version off the action's folder
        github.put("action_ref", "");
        github.put("action_repository", "");
        return github;
    }
}
