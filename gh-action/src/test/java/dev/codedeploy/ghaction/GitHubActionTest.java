package dev.codedeploy.ghaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.testing.EmbeddedGitHub;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobStatus;
import java.io.IOException;
import java.nio.file.Files;
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
 * The action end to end: {@code action.yml}'s steps run as the runner runs them, the adapter in its own JVM against
 * a codedeploy cluster on embedded servers and GitHub's REST API on loopback. Each test checks what a workflow sees
 * (exit code, outputs, log, job summary) and what GitHub received.
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
        writeConfig(cluster.configYaml());

        CompositeActionRunner.Result run = run(sha, Map.of());

        Job job = cluster.newestJob(sha);
        assertThat(run.exitCode()).as(run.log()).isZero();
        assertThat(run.skipped()).containsExactly("actions/setup-java@v4");
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.requestedBy()).isEqualTo("github shop/app run 4242 by octocat");
        long deploymentId = github.deployments().get(0).id();
        assertThat(run.outputs())
                .containsEntry("job-id", String.valueOf(job.id()))
                .containsEntry("build-id", String.valueOf(job.id()))
                .containsEntry("status", "SUCCEEDED")
                .containsEntry("artifact-sha256", job.artifactSha256())
                .containsEntry("artifact-size", String.valueOf(job.artifactSize()))
                .containsEntry("deployment-id", String.valueOf(deploymentId))
                .containsEntry("error", "");
        assertThat(run.log())
                .contains("codedeploy: deploying " + sha + " to " + ENVIRONMENT + " from " + cluster.repoUrl())
                .contains("::group::codedeploy: Queued")
                .contains("::group::codedeploy: Building")
                .contains("::endgroup::")
                .contains("every host runs build " + job.id() + " healthy")
                .doesNotContain("::error");
        assertThat(run.summary())
                .contains("## ✅ codedeploy: `" + sha.substring(0, 7) + "` to " + ENVIRONMENT + ": SUCCEEDED")
                .contains("| Commit | `" + sha + "` |")
                .contains("| Build | " + job.id() + " |")
                .contains("sha256 `" + job.artifactSha256() + "`")
                .contains("### Stages").containsPattern("\\| Queued \\| \\d+\\.\\d s \\|").containsPattern("\\| Building \\| \\d+\\.\\d s \\|")
                .contains("| **Total** |")
                .contains("### Regions").contains(cluster.region())
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
        assertThat(github.statuses(deploymentId).get(states.size() - 1).description()).isEqualTo("SUCCEEDED: build " + job.id() + " of " + sha + " to " + ENVIRONMENT);

        // the configuration's secrets reached the database and the blob store, and were masked before anything printed
        assertMaskedEverywhere(run, cluster.databasePassword());
        assertMaskedEverywhere(run, cluster.blobStoreSecret());
        assertMaskedEverywhere(run, TOKEN);
    }

    @Test
    void aFailedBuildFailsTheStepWithAnErrorAnnotationAndAFailureStatus() throws Exception {
        String sha = cluster.commitSpec(ActionTestCluster.FAILING_SPEC);
        writeConfig(cluster.configYaml());

        CompositeActionRunner.Result run = run(sha, Map.of());

        Job job = cluster.newestJob(sha);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(run.exitCode()).isEqualTo(1);
        String firstErrorLine = job.error().lines().findFirst().orElseThrow();
        assertThat(run.log()).contains("::error title=codedeploy%3A FAILED::FAILED: build " + job.id() + " of " + sha + " to " + ENVIRONMENT + "%0A");
        Map<String, String> outputs = run.stepOutputs().get("deploy");
        assertThat(outputs).containsEntry("status", "FAILED").containsEntry("job-id", String.valueOf(job.id()));
        assertThat(outputs.get("error")).as("the multi-line output, whole").isEqualTo(job.error());
        assertThat(run.summary()).contains("## ❌ codedeploy: `" + sha.substring(0, 7) + "` to " + ENVIRONMENT + ": FAILED")
                .contains("### Error").contains(firstErrorLine);
        long deploymentId = github.deployments().get(0).id();
        assertThat(github.statuses(deploymentId)).extracting(EmbeddedGitHub.Status::state).containsExactly("queued", "in_progress", "failure");
        List<EmbeddedGitHub.Status> failed = github.statuses(deploymentId);
        assertThat(failed.get(failed.size() - 1).description()).startsWith("FAILED: build " + job.id());
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "sha              | ''          | input 'sha' is missing: give the full 40-hex commit SHA",
            "sha              | main        | input 'sha': sha 'main' is not a commit SHA: expected exactly 40 hex digits",
            "timeout-minutes  | soon        | input 'timeout-minutes' is 'soon': expected a whole number of minutes from 1 to 1440",
            "timeout-minutes  | 0           | input 'timeout-minutes' is '0': expected a whole number of minutes from 1 to 1440",
            "config           | missing.yml | input 'config': no file ",
            "wait-for-rollout | yes         | input 'wait-for-rollout' is 'yes': expected true or false",
            "environment      | Prod!       | input 'environment': environment 'Prod!' is not valid",
    })
    void aBadInputIsNamedAndNothingIsQueuedOrPosted(String input, String value, String message) throws Exception {
        String sha = cluster.commit(Map.of("README", "never built"));
        writeConfig(cluster.configYaml());
        Long newestBefore = newestJobId();

        Map<String, String> with = new HashMap<>();
        with.put(input, value);
        CompositeActionRunner.Result run = run(sha, with);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.log()).contains("::error title=codedeploy%3A bad input::" + message);
        assertThat(run.summary()).contains("## ❌ codedeploy: bad input, nothing was deployed").contains(message);
        assertThat(run.stepOutputs().get("deploy")).isEmpty();
        assertThat(newestJobId()).isEqualTo(newestBefore);
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void anUnreadableConfigurationIsNamed() throws Exception {
        String sha = cluster.commit(Map.of("README", "never built either"));
        // a folder: unreadable as a file even for root, which reads every file
        Path folder = Files.createDirectories(workDir.resolve("workspace").resolve("conf.d"));
        Long newestBefore = newestJobId();

        CompositeActionRunner.Result run = run(sha, Map.of("config", "conf.d"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.log()).contains("::error title=codedeploy%3A bad input::input 'config': cannot read " + folder)
                .contains("give a readable YAML file, or the YAML itself");
        assertThat(newestJobId()).isEqualTo(newestBefore);
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void secretsAreMaskedBeforeAnythingCouldPrintThem() throws Exception {
        String sha = cluster.commit(Map.of("README", "masked"));
        String secret = "hunter2-" + System.nanoTime();
        // the password's line is broken YAML: the parser's error quotes it
        String inline = cluster.configYaml().replace("password: \"${" + ActionTestCluster.DB_PASSWORD_VARIABLE + "}\"",
                "password: " + secret + ": oops");

        CompositeActionRunner.Result run = run(sha, Map.of("config", inline));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.log()).contains("::error title=codedeploy%3A bad input::input 'config' (inline YAML): ")
                .contains("***");
        assertMaskedEverywhere(run, secret);
        assertMaskedEverywhere(run, TOKEN);
        assertThat(run.log().lines().filter(l -> l.startsWith("::add-mask::")).findFirst())
                .as("the token is masked before anything else").contains("::add-mask::" + TOKEN);
    }

    @Test
    void aTokenGitHubRejectsStopsTheRunBeforeAnythingIsQueued() throws Exception {
        String sha = cluster.commit(Map.of("README", "not with that token"));
        writeConfig(cluster.configYaml());
        Long newestBefore = newestJobId();
        String wrong = "ghp_notTheRightToken42";

        CompositeActionRunner.Result run = run(sha, Map.of("github-token", wrong));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.log()).contains("::error title=codedeploy%3A GitHub refused the deployment::GitHub rejected the token")
                .contains("deployments: write");
        assertMaskedEverywhere(run, wrong);
        assertThat(newestJobId()).isEqualTo(newestBefore);
        assertThat(github.deployments()).isEmpty();
    }

    @Test
    void withoutATokenItDeploysWithoutStatuses() throws Exception {
        String sha = cluster.commit(Map.of("README", "no statuses"));
        writeConfig(cluster.configYaml());

        CompositeActionRunner.Result run = run(sha, Map.of("github-token", ""));

        assertThat(run.exitCode()).as(run.log()).isZero();
        assertThat(run.log()).contains("::notice::codedeploy: github-token is empty, so no GitHub deployment");
        assertThat(run.outputs()).containsEntry("status", "SUCCEEDED").containsEntry("deployment-id", "");
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void cancellingTheWorkflowCancelsTheBuildWhenAskedAndPostsAnError() throws Exception {
        String sha = cluster.commitSpec(ActionTestCluster.SLOW_SPEC);
        writeConfig(cluster.configYaml());

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
        assertThat(cluster.newestJob(sha).status()).isEqualTo(JobStatus.RUNNING);
        // what the runner does when the workflow is cancelled: signal the step's process (the JVM, by exec)
        runner.currentProcess().destroy();
        CompositeActionRunner.Result run = running.get();

        assertThat(run.exitCode()).isNotZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.newestJob(sha).status() == JobStatus.CANCELLED);
        assertThat(run.log()).contains("::error title=codedeploy%3A CANCELLED::the workflow was cancelled; the codedeploy build was cancelled");
        assertThat(run.stepOutputs().get("deploy")).containsEntry("status", "CANCELLED");
        long deploymentId = github.deployments().get(0).id();
        // a cancellation says nothing about the change: GitHub shows an error, not a failure
        assertThat(github.statuses(deploymentId)).extracting(EmbeddedGitHub.Status::state).containsExactly("queued", "in_progress", "error");
    }

    private CompositeActionRunner.Result run(String sha, Map<String, String> overrides) throws IOException, InterruptedException {
        Map<String, String> with = new HashMap<>();
        with.put("config", "codedeploy.yml");
        with.put("environment", ENVIRONMENT);
        with.put("repository-url", cluster.repoUrl());
        with.put("environment-url", ENVIRONMENT_URL);
        with.put("timeout-minutes", "3");
        with.put("adapter-jar", adapterJar.toString());
        with.putAll(overrides);
        return runner.run(with, githubContext(sha), cluster.secretEnv(), workDir);
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

    private static Long newestJobId() {
        Job newest = cluster.newestJob();
        return newest == null ? null : newest.id();
    }

    private Path writeConfig(String yaml) throws IOException {
        Path workspace = Files.createDirectories(workDir.resolve("workspace"));
        return Files.writeString(workspace.resolve("codedeploy.yml"), yaml);
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
