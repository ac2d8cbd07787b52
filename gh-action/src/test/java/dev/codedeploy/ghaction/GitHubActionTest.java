package dev.codedeploy.ghaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.Job;
import dev.codedeploy.testing.EmbeddedGitHub;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The action end to end: {@code action.yml}'s steps run as the runner runs them, the adapter in its own JVM holding
 * only the URL of a real {@code codedeploy server} (on embedded servers) and a token, and GitHub's REST API on loopback.
 * Each test checks what a workflow sees (exit code, outputs, log, job summary), what the server recorded and what
 * GitHub received.
 */
class GitHubActionTest {

    private static final String TOKEN = "ghs_actionTestToken0123456789";
    private static final String REPOSITORY = "shop/app";
    private static final String RUN_ID = "4242";
    private static final String LOG_URL = "https://github.example.com/shop/app/actions/runs/" + RUN_ID;
    private static final String ENVIRONMENT = ActionTestCluster.ENVIRONMENT;
    private static final String ENVIRONMENT_URL = "https://" + ENVIRONMENT + ".shop.example";

    private static ActionTestCluster cluster;
    private static EmbeddedGitHub github;
    private static Path adapterJar;
    private static CompositeActionRunner runner;

    @TempDir
    Path workDir;

    @BeforeAll
    static void start(@TempDir Path shared) throws IOException {
        cluster = new ActionTestCluster();
        github = EmbeddedGitHub.start(TOKEN, REPOSITORY);
        adapterJar = AdapterJar.obtain(shared.resolve("codedeploy-gh-action.jar"));
        runner = new CompositeActionRunner(Path.of(System.getProperty("action.dir")));
    }

    @AfterAll
    static void stop() {
        if (github != null) {
            github.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void resetGitHub() {
        github.reset();
    }

    @Test
    void aCommitIsDeployedWithItsOutputsSummaryAndDeploymentStatuses() throws Exception {
        String sha = cluster.commit(Map.of("README", "deployed by the action"));

        CompositeActionRunner.Result run = run(sha, Map.of());

        Deploy deploy = cluster.newestDeploy(sha);
        Job job = cluster.job(deploy);
        assertThat(run.exitCode()).as(run.log()).isZero();
        assertThat(run.skipped()).containsExactly("actions/setup-java@v4");
        assertThat(deploy.state()).isEqualTo(DeployState.SUCCEEDED);
        assertThat(deploy.reason()).isEqualTo("github shop/app run 4242 by octocat");
        assertThat(job.status()).isEqualTo("COMPLETED");
        long deploymentId = github.deployments().get(0).id();
        assertThat(run.outputs())
                .containsEntry("deploy-id", String.valueOf(deploy.id()))
                .containsEntry("state", "SUCCEEDED")
                .containsEntry("stage", "ROLLING_OUT")
                .containsEntry("job-id", String.valueOf(job.id()))
                .containsEntry("build-id", String.valueOf(job.id()))
                .containsEntry("release-version", String.valueOf(deploy.releaseVersion()))
                .containsEntry("status", "SUCCEEDED")
                .containsEntry("artifact-sha256", job.artifactSha256())
                .containsEntry("artifact-size", String.valueOf(job.artifactSize()))
                .containsEntry("deployment-id", String.valueOf(deploymentId))
                .containsEntry("error", "");
        assertThat(run.log())
                .contains("codedeploy: deploying " + sha + " to " + ENVIRONMENT + " from " + cluster.repoUrl() + " on " + cluster.serverUrl())
                .contains("codedeploy: deploy " + deploy.id() + " requested")
                .contains("::group::codedeploy: Queued")
                .contains("::group::codedeploy: Building")
                .contains("::group::codedeploy: Rolling out")
                .contains("::endgroup::")
                .contains("every host runs build " + job.id() + " healthy")
                .doesNotContain("::error");
        assertThat(run.summary())
                .contains("## ✅ codedeploy: `" + sha.substring(0, 7) + "` to " + ENVIRONMENT + ": SUCCEEDED")
                .contains("| Deploy | " + deploy.id() + " (SUCCEEDED) |")
                .contains("| Commit | `" + sha + "` |")
                .contains("| Build | " + job.id() + " |")
                .contains("sha256 `" + job.artifactSha256() + "`")
                .contains("### Stages").containsPattern("\\| Queued \\| \\d+\\.\\d s \\|").containsPattern("\\| Building \\| \\d+\\.\\d s \\|")
                .contains("| **Total** |")
                .contains("### Regions").contains("| " + cluster.region() + " | 1 | 1 | 1 | 0 |")
                .contains("| GitHub deployment | " + deploymentId + " |");

        List<String> requests = github.requests();
        assertThat(requests).startsWith("GET /repos/shop/app", "POST /repos/shop/app/deployments");
        assertThat(requests.subList(2, requests.size())).hasSize(github.statuses(deploymentId).size())
                .containsOnly("POST /repos/shop/app/deployments/" + deploymentId + "/statuses");
        EmbeddedGitHub.Deployment deployment = github.deployments().get(0);
        assertThat(deployment.ref()).isEqualTo(sha);
        assertThat(deployment.environment()).isEqualTo(ENVIRONMENT);
        List<String> states = github.statuses(deploymentId).stream().map(EmbeddedGitHub.Status::state).toList();
        assertThat(states.get(0)).isEqualTo("queued");
        assertThat(states.get(states.size() - 1)).isEqualTo("success");
        assertThat(states.subList(1, states.size() - 1)).as("one per stage: building, replicating, publishing, rolling out")
                .hasSizeGreaterThanOrEqualTo(4).containsOnly("in_progress");
        assertThat(github.statuses(deploymentId)).allSatisfy(s -> {
            assertThat(s.logUrl()).isEqualTo(LOG_URL);
            assertThat(s.environmentUrl()).isEqualTo(ENVIRONMENT_URL);
        });
        assertThat(github.statuses(deploymentId).get(states.size() - 1).description())
                .isEqualTo("SUCCEEDED: deploy " + deploy.id() + ", build " + job.id() + " of " + sha + " to " + ENVIRONMENT);

        // both tokens were masked before anything could print them, the GitHub token first
        assertMaskedEverywhere(run, TOKEN);
        assertMaskedEverywhere(run, cluster.token());
        assertThat(run.log().lines().filter(l -> l.startsWith("::add-mask::")).limit(2))
                .containsExactly("::add-mask::" + TOKEN, "::add-mask::" + cluster.token());
    }

    @Test
    void aFailedBuildFailsTheStepNamingTheStageWithAnErrorAnnotationAndAFailureStatus() throws Exception {
        String sha = cluster.commitSpec(ActionTestCluster.FAILING_SPEC);

        CompositeActionRunner.Result run = run(sha, Map.of());

        Deploy deploy = cluster.newestDeploy(sha);
        assertThat(deploy.state()).isEqualTo(DeployState.FAILED);
        assertThat(deploy.error()).contains("compiler says no");
        assertThat(run.exitCode()).isEqualTo(1);
        String headline = "deploy " + deploy.id() + " FAILED in stage BUILDING (build " + deploy.jobId() + ")";
        assertThat(run.log()).contains("::error title=codedeploy%3A FAILED::FAILED: deploy " + deploy.id() + ", build " + deploy.jobId()
                + " of " + sha + " to " + ENVIRONMENT + "%0A" + headline + "%0A");
        Map<String, String> outputs = run.stepOutputs().get("deploy");
        assertThat(outputs).containsEntry("status", "FAILED").containsEntry("state", "FAILED").containsEntry("stage", "BUILDING")
                .containsEntry("deploy-id", String.valueOf(deploy.id())).containsEntry("job-id", String.valueOf(deploy.jobId()));
        assertThat(outputs.get("error")).as("the multi-line output, whole").isEqualTo(headline + "\n" + deploy.error());
        assertThat(run.summary()).contains("## ❌ codedeploy: `" + sha.substring(0, 7) + "` to " + ENVIRONMENT + ": FAILED")
                .contains("### Error").contains(headline);
        long deploymentId = github.deployments().get(0).id();
        assertThat(github.statuses(deploymentId)).extracting(EmbeddedGitHub.Status::state).containsExactly("queued", "in_progress", "failure");
        List<EmbeddedGitHub.Status> failed = github.statuses(deploymentId);
        assertThat(failed.get(failed.size() - 1).description()).startsWith("FAILED: deploy " + deploy.id());
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "sha              | ''                     | input 'sha' is missing: give the full 40-hex commit SHA",
            "sha              | main                   | input 'sha': sha 'main' is not a commit SHA: expected exactly 40 hex digits",
            "timeout-minutes  | soon                   | input 'timeout-minutes' is 'soon': expected a whole number of minutes from 1 to 1440",
            "timeout-minutes  | 0                      | input 'timeout-minutes' is '0': expected a whole number of minutes from 1 to 1440",
            "server-url       | ''                     | input 'server-url' is missing: give the codedeploy server's URL",
            "server-url       | codedeploy.example.com | input 'server-url' is 'codedeploy.example.com': expected an http:// or https:// URL",
            "token            | ''                     | input 'token' is missing: give a token of the codedeploy server with the deploy scope",
            "wait-for-rollout | yes                    | input 'wait-for-rollout' is 'yes': expected true or false",
            "environment      | Prod!                  | input 'environment': environment 'Prod!' is not valid",
    })
    void aBadInputIsNamedAndNothingIsRequestedOrPosted(String input, String value, String message) throws Exception {
        String sha = cluster.commit(Map.of("README", "never built"));
        Long newestBefore = newestDeployId();

        Map<String, String> with = new HashMap<>();
        with.put(input, value);
        CompositeActionRunner.Result run = run(sha, with);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.log()).contains("::error title=codedeploy%3A bad input::" + message);
        assertThat(run.summary()).contains("## ❌ codedeploy: bad input, nothing was deployed").contains(message);
        assertThat(run.stepOutputs().get("deploy")).isEmpty();
        assertThat(newestDeployId()).isEqualTo(newestBefore);
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void aTokenTheServerRefusesEndsTheRunWithAnErrorAndCreatesNothing() throws Exception {
        String sha = cluster.commit(Map.of("README", "not with that codedeploy token"));
        Long newestBefore = newestDeployId();
        String stale = "cd_notATokenOfThisServer42";

        CompositeActionRunner.Result run = run(sha, Map.of("token", stale));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.log()).contains("::error title=codedeploy%3A ERROR::the codedeploy server at " + cluster.serverUrl()
                + " refused the deploy: ").contains("HTTP 401");
        assertThat(run.stepOutputs().get("deploy")).containsEntry("status", "ERROR").doesNotContainKey("deploy-id");
        assertMaskedEverywhere(run, stale);
        assertThat(newestDeployId()).isEqualTo(newestBefore);
        long deploymentId = github.deployments().get(0).id();
        assertThat(github.statuses(deploymentId)).extracting(EmbeddedGitHub.Status::state).containsExactly("error");
    }

    @Test
    void aTokenGitHubRejectsStopsTheRunBeforeAnythingIsRequested() throws Exception {
        String sha = cluster.commit(Map.of("README", "not with that token"));
        Long newestBefore = newestDeployId();
        String wrong = "ghp_notTheRightToken42";

        CompositeActionRunner.Result run = run(sha, Map.of("github-token", wrong));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.log()).contains("::error title=codedeploy%3A GitHub refused the deployment::GitHub rejected the token")
                .contains("deployments: write");
        assertMaskedEverywhere(run, wrong);
        assertThat(newestDeployId()).isEqualTo(newestBefore);
        assertThat(github.deployments()).isEmpty();
    }

    @Test
    void withoutAGitHubTokenOrWaitingForTheRolloutItRequestsTheDeployAndReturnsOncePublished() throws Exception {
        String sha = cluster.commit(Map.of("README", "no statuses, no waiting"));

        CompositeActionRunner.Result run = run(sha, Map.of("github-token", "", "wait-for-rollout", "false"));

        assertThat(run.exitCode()).as(run.log()).isZero();
        assertThat(run.log()).contains("::notice::codedeploy: github-token is empty, so no GitHub deployment")
                .contains("not waiting for the rollout");
        assertThat(run.outputs()).containsEntry("status", "SUCCEEDED").containsEntry("deployment-id", "");
        assertThat(run.outputs().get("state")).isIn("ROLLING_OUT", "SUCCEEDED");
        assertThat(run.outputs().get("release-version")).isNotEmpty();
        assertThat(github.requests()).isEmpty();
        // the rollout goes on, on the server, without the action
        await().atMost(Duration.ofMinutes(3)).until(() -> cluster.newestDeploy(sha).state() == DeployState.SUCCEEDED);
    }

    @Test
    void cancellingTheWorkflowCancelsTheDeployWhenAskedAndPostsAnError() throws Exception {
        String sha = cluster.commitSpec(ActionTestCluster.SLOW_SPEC);

        CompletableFuture<CompositeActionRunner.Result> running = CompletableFuture.supplyAsync(() -> {
            try {
                return run(sha, Map.of("cancel-build-on-stop", "true"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the action saw the build running once GitHub has in_progress
        await().atMost(Duration.ofSeconds(90)).until(() -> !github.deployments().isEmpty()
                && github.statuses(github.deployments().get(0).id()).stream().anyMatch(s -> "in_progress".equals(s.state())));
        Deploy deploy = cluster.newestDeploy(sha);
        assertThat(deploy.state()).isEqualTo(DeployState.BUILDING);
        // what the runner does when the workflow is cancelled: signal the step's process (the JVM, by exec)
        runner.currentProcess().destroy();
        CompositeActionRunner.Result run = running.get();

        assertThat(run.exitCode()).isNotZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.newestDeploy(sha).state() == DeployState.CANCELLED);
        // the server names the token that cancelled it
        assertThat(cluster.newestDeploy(sha).error()).startsWith("cancelled by sandbox");
        assertThat(run.log()).contains("::error title=codedeploy%3A CANCELLED::the workflow was cancelled; deploy " + deploy.id() + " was cancelled");
        assertThat(run.stepOutputs().get("deploy")).containsEntry("status", "CANCELLED").containsEntry("deploy-id", String.valueOf(deploy.id()));
        long deploymentId = github.deployments().get(0).id();
        // a cancellation says nothing about the change: GitHub shows an error, not a failure
        assertThat(github.statuses(deploymentId)).extracting(EmbeddedGitHub.Status::state).containsExactly("queued", "in_progress", "error");
    }

    private CompositeActionRunner.Result run(String sha, Map<String, String> overrides) throws IOException, InterruptedException {
        Map<String, String> with = new HashMap<>();
        with.put("server-url", cluster.serverUrl());
        with.put("token", cluster.token());
        with.put("environment", ENVIRONMENT);
        with.put("repository-url", cluster.repoUrl());
        with.put("environment-url", ENVIRONMENT_URL);
        with.put("timeout-minutes", "3");
        with.put("adapter-jar", adapterJar.toString());
        with.putAll(overrides);
        return runner.run(with, githubContext(sha), Map.of(), workDir);
    }

    private static Map<String, String> githubContext(String sha) {
        Map<String, String> context = new HashMap<>();
        context.put("sha", sha);
        context.put("repository", REPOSITORY);
        context.put("server_url", "https://github.example.com");
        context.put("api_url", github.apiUrl());
        context.put("run_id", RUN_ID);
        context.put("actor", "octocat");
        context.put("token", TOKEN);
        context.put("action_ref", "");
        context.put("action_repository", "");
        return context;
    }

    private static Long newestDeployId() {
        Deploy newest = cluster.newestDeploy();
        return newest == null ? null : newest.id();
    }

    /** {@code secret} is announced with ::add-mask:: before any other line could hold it, and nothing else ever holds it. */
    private void assertMaskedEverywhere(CompositeActionRunner.Result run, String secret) {
        assertThat(run.log()).contains("::add-mask::" + secret);
        assertThat(run.log().replace("::add-mask::" + secret, "")).doesNotContain(secret);
        assertThat(run.summary()).doesNotContain(secret);
        run.stepOutputs().values().forEach(outputs -> assertThat(outputs.values()).allSatisfy(v -> assertThat(v).doesNotContain(secret)));
        github.deployments().forEach(d -> assertThat(d.body().toString()).doesNotContain(secret));
        github.deployments().forEach(d -> github.statuses(d.id()).forEach(s -> assertThat(s.body().toString()).doesNotContain(secret)));
    }
}
