package dev.codedeploy.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.cli.ClientConfig;
import dev.codedeploy.cli.CodeDeployCli;
import dev.codedeploy.client.ApiException;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.RegionCounts;
import dev.codedeploy.client.Rollout;
import dev.codedeploy.client.StageTiming.Stage;
import dev.codedeploy.dashboard.Browser;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import dev.codedeploy.testing.SampleRepository;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * {@code codeDeploy(sha)} through the server's HTTP API against the whole system: two regions, two host agents each (and
 * a seeder) as processes, {@code codedeploy server} as a process, every server embedded. The test holds only the API's
 * URL and a token.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {

    private static final String ENV = SandboxCluster.ENVIRONMENT;
    private static final Duration PATIENCE = Duration.ofMinutes(8);

    private static SandboxCluster cluster;
    private static CodeDeployClient client;
    private static long firstBuild;

    @BeforeAll
    static void startTheSystem() throws Exception {
        Path dir = Files.createTempDirectory("codedeploy-e2e-");
        cluster = SandboxCluster.start(dir, SandboxOptions.DEMO.withRegions(2, 2), new PrintStream(System.out, true));
        client = cluster.client();
    }

    @AfterAll
    static void stopTheSystem() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Deploy deploy(String sha, List<DeployEvent> events) throws InterruptedException {
        Deploy requested = client.createDeploy(CreateDeploy.of(sha).withReason("e2e test"));
        return client.follow(requested.id(), 0, events::add, PATIENCE);
    }

    @Test
    @Order(1)
    void aDeployReachesEveryHostOfEveryRegionThroughEveryStage() throws Exception {
        List<DeployEvent> events = new CopyOnWriteArrayList<>();
        Deploy result = deploy(cluster.repo().firstCommit(), events);

        assertThat(result.state()).as(result.error()).isEqualTo(DeployState.SUCCEEDED);
        assertThat(result.requestedBy()).isEqualTo("sandbox");
        assertThat(result.artifactSha256()).matches("[0-9a-f]{64}");
        assertThat(events).extracting(DeployEvent::stage).containsSubsequence(Stage.QUEUED, Stage.BUILDING, Stage.REPLICATING,
                Stage.PUBLISHING, Stage.ROLLING_OUT);
        assertThat(events.get(events.size() - 1).state()).isEqualTo(DeployState.SUCCEEDED);
        assertThat(result.timings()).extracting(t -> t.stage()).contains(Stage.BUILDING, Stage.REPLICATING, Stage.ROLLING_OUT);
        assertThat(result.regions()).extracting(RegionCounts::region).containsExactly("us-east", "us-west");
        for (RegionCounts region : result.regions()) {
            assertThat(region.hosts()).isEqualTo(2);
            assertThat(region.healthy()).isEqualTo(2);
            assertThat(region.failed()).isZero();
        }
        assertThat(client.build(result.jobId()).replicas()).hasSize(2);
        firstBuild = result.jobId();
        assertEveryHost(firstBuild, "HEALTHY");
    }

    @Test
    @Order(2)
    void aFailingBuildFailsTheDeployAndLeavesTheFleetAlone() throws Exception {
        long version = client.rollout(ENV).release().version();
        String sha = cluster.repo().commit("broken", Map.of(".codedeploy.yml",
                "build: {command: [sh, -c, 'echo compile error; exit 4'], output: dist}"));
        Deploy result = deploy(sha, new CopyOnWriteArrayList<>());
        assertThat(result.state()).isEqualTo(DeployState.FAILED);
        assertThat(result.error()).contains("exited with code 4").contains("compile error");
        assertThat(client.job(result.jobId()).status()).isEqualTo("FAILED");
        assertThat(client.rollout(ENV).release().version()).isEqualTo(version);
        assertEveryHost(firstBuild, "HEALTHY");
    }

    @Test
    @Order(3)
    void aBadShaIsRefusedBeforeAnythingIsQueued() {
        int before = client.jobs(null, null, 100).size();
        assertThatThrownBy(() -> client.createDeploy(CreateDeploy.of("not-a-sha"))).isInstanceOf(ApiException.class)
                .hasMessageContaining("40 hex digits").satisfies(e -> assertThat(((ApiException) e).error().field()).isEqualTo("sha"));
        assertThat(client.jobs(null, null, 100)).hasSize(before);
    }

    @Test
    @Order(4)
    void aCancelledDeployStopsAndCancelsItsBuild() throws Exception {
        String sha = cluster.repo().commit("slow", Map.of(".codedeploy.yml",
                "build: {command: [sh, -c, 'sleep 120; mkdir -p dist'], output: dist}"));
        Deploy requested = client.createDeploy(CreateDeploy.of(sha));
        List<DeployEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Deploy> followed = CompletableFuture.supplyAsync(() -> {
            try {
                return client.follow(requested.id(), 0, events::add, PATIENCE);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> events.stream().anyMatch(e -> e.message().contains(": building")));
        lookAtTheDashboard(requested.id());

        client.cancel(requested.id(), "not this one");

        Deploy cancelled = followed.get(2, TimeUnit.MINUTES);
        assertThat(cancelled.state()).isEqualTo(DeployState.CANCELLED);
        assertThat(cancelled.error()).startsWith("cancelled by sandbox while building");
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> client.job(cancelled.jobId()).status().equals("CANCELLED"));
        assertThat(client.job(cancelled.jobId()).error()).contains("cancelled by");
    }

    @Test
    @Order(5)
    void theCliWithOnlyAClientConfigurationDeploysAndARollbackTakesEveryHostBack() throws Exception {
        String sha = cluster.repo().commit("second version", Map.of("CHANGELOG", "two\n", ".codedeploy.yml", SampleRepository.SPEC));
        StringWriter out = new StringWriter();
        CommandLine cli = CodeDeployCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute("deploy", sha, "-c", cluster.clientConfigFile().toString());
        assertThat(exit).as(out.toString()).isZero();
        Deploy second = client.deploys(ENV, false, 1).get(0);
        assertThat(second.sha()).isEqualTo(sha);
        assertEveryHost(second.jobId(), "HEALTHY");

        Rollout rollback = client.rollback(ENV, "the second version is wrong");
        assertThat(rollback.release().rollback()).isTrue();
        assertThat(rollback.release().buildId()).isEqualTo(firstBuild);
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertEveryHost(firstBuild, "HEALTHY"));
        assertThat(client.history(ENV, 20)).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("ROLLBACK");
            assertThat(a.actor()).isEqualTo("sandbox");
        });
    }

    /**
     * The dashboard of the server process (its jars as the distribution ships them) while deploy {@code id} builds
     * (its build sleeps two minutes): it shows the deploy in flight, the running job, the environment's waves and the
     * first build's copies; what the window shows is kept in {@code target/dashboard.png}. Without Chromium it is
     * skipped, saying so.
     */
    private static void lookAtTheDashboard(long id) throws Exception {
        if (!Browser.installed()) {
            System.out.println("not looking at the dashboard: " + Browser.missing());
            return;
        }
        try (Browser browser = new Browser(1400, 1200)) {
            browser.logIn(cluster.apiUrl(), ClientConfig.load(cluster.clientConfigFile()).token());
            browser.await("#deploys-active tr[data-deploy-id='" + id + "'][data-state=BUILDING]");
            browser.await("#jobs tr[data-status=RUNNING]");
            browser.await("article[data-environment=" + ENV + "] table.waves tr.open");
            browser.await("#builds tr[data-build-id='" + firstBuild + "'] .badge.completed[data-region=us-west]");
            browser.screenshot(Path.of("target/dashboard.png"));
        }
    }

    private static void assertEveryHost(long build, String state) {
        Rollout rollout = client.rollout(ENV);
        for (Rollout.Region region : rollout.regions()) {
            assertThat(region.builds()).as(region.region()).extracting(Rollout.BuildHosts::buildId).containsOnly(build);
            assertThat(region.builds().get(0).states()).as(region.region()).containsEntry(state, region.hosts());
        }
    }
}
