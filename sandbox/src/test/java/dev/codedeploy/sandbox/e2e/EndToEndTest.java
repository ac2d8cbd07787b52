package dev.codedeploy.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.DeployEvent;
import dev.codedeploy.DeployRequest;
import dev.codedeploy.DeployResult;
import dev.codedeploy.DeployStage;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.testing.SampleRepository;
import dev.codedeploy.RegionResult;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.Release;
import dev.codedeploy.rollout.RegionStatus;
import dev.codedeploy.rollout.RolloutStatus;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code codeDeploy(sha)} through the facade against the whole system: two regions, two host agents each (and a
 * seeder) as processes, {@code codedeploy server} as a process, every server embedded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {

    private static final String ENV = SandboxCluster.ENVIRONMENT;

    private static Path dir;
    private static SandboxCluster cluster;
    private static CodeDeploy codeDeploy;
    private static long firstBuild;

    @BeforeAll
    static void startTheSystem() throws Exception {
        dir = Files.createTempDirectory("codedeploy-e2e-");
        cluster = SandboxCluster.start(dir, SandboxOptions.DEMO.withRegions(2, 2), new PrintStream(System.out, true));
        codeDeploy = cluster.codeDeploy();
    }

    @AfterAll
    static void stopTheSystem() {
        if (codeDeploy != null) {
            codeDeploy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aDeployReachesEveryHostOfEveryRegionThroughEveryStage() throws Exception {
        List<DeployEvent> events = new CopyOnWriteArrayList<>();
        DeployResult result = codeDeploy.deploy(request(cluster.repo().firstCommit()).withListener(events::add));

        assertThat(result.stage()).as(result.error()).isEqualTo(DeployStage.SUCCEEDED);
        assertThat(result.artifactSha256()).matches("[0-9a-f]{64}");
        assertThat(events).extracting(DeployEvent::stage).containsSubsequence(DeployStage.QUEUED, DeployStage.BUILDING,
                DeployStage.REPLICATING, DeployStage.PUBLISHING, DeployStage.ROLLING_OUT, DeployStage.SUCCEEDED);
        assertThat(result.timings()).containsKeys(DeployStage.BUILDING, DeployStage.REPLICATING, DeployStage.ROLLING_OUT);
        assertThat(result.regions()).extracting(RegionResult::region).containsExactly("us-east", "us-west");
        for (RegionResult region : result.regions()) {
            assertThat(region.hosts()).isEqualTo(2);
            assertThat(region.healthy()).isEqualTo(2);
            assertThat(region.failed()).isZero();
        }
        assertThat(codeDeploy.replicas(result.buildId())).hasSize(2);
        firstBuild = result.buildId();
        assertEveryHost(result.buildId(), HostState.HEALTHY);
    }

    @Test
    @Order(2)
    void aFailingBuildFailsTheDeployAndLeavesTheFleetAlone() throws Exception {
        long version = release().version();
        String sha = cluster.repo().commit("broken", Map.of(".codedeploy.yml",
                "build: {command: [sh, -c, 'echo compile error; exit 4'], output: dist}"));
        DeployResult result = codeDeploy.deploy(request(sha));
        assertThat(result.stage()).isEqualTo(DeployStage.FAILED);
        assertThat(result.error()).contains("exited with code 4").contains("compile error");
        assertThat(codeDeploy.job(result.jobId()).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(release().version()).isEqualTo(version);
        assertEveryHost(firstBuild, HostState.HEALTHY);
    }

    @Test
    @Order(3)
    void aBadShaIsRefusedBeforeAnythingIsQueued() {
        int before = codeDeploy.recentJobs(100).size();
        assertThatThrownBy(() -> codeDeploy.deploy(request("not-a-sha"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("40 hex digits");
        assertThat(codeDeploy.recentJobs(100)).hasSize(before);
    }

    @Test
    @Order(4)
    void aCancelledDeployStopsWaitingAndCancelsItsBuild() throws Exception {
        String sha = cluster.repo().commit("slow", Map.of(".codedeploy.yml",
                "build: {command: [sh, -c, 'sleep 120; mkdir -p dist'], output: dist}"));
        List<DeployEvent> events = new CopyOnWriteArrayList<>();
        Thread[] caller = new Thread[1];
        CompletableFuture<DeployResult> deploy = new CompletableFuture<>();
        caller[0] = new Thread(() -> {
            try {
                deploy.complete(codeDeploy.deploy(request(sha).withCancelBuildOnStop(true).withListener(events::add)));
            } catch (Throwable t) {
                deploy.completeExceptionally(t);
            }
        }, "deploy-caller");
        caller[0].start();
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> events.stream().anyMatch(e -> e.message().contains(": building")));
        caller[0].interrupt();
        assertThatThrownBy(() -> get(deploy)).hasCauseInstanceOf(InterruptedException.class);
        long job = codeDeploy.history(sha, 1).get(0).id();
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> codeDeploy.job(job).orElseThrow().status() == JobStatus.CANCELLED);
        assertThat(codeDeploy.job(job).orElseThrow().error()).contains("cancelled by");
    }

    @Test
    @Order(5)
    void aRollbackTakesEveryHostBackToThePreviousBuild() throws Exception {
        String sha = cluster.repo().commit("second version", Map.of("CHANGELOG", "two\n", ".codedeploy.yml", SampleRepository.SPEC));
        DeployResult second = codeDeploy.deploy(request(sha));
        assertThat(second.stage()).as(second.error()).isEqualTo(DeployStage.SUCCEEDED);
        assertEveryHost(second.buildId(), HostState.HEALTHY);

        Release rollback = codeDeploy.rollback(ENV, "e2e-test", "the second version is wrong");
        assertThat(rollback.rollback()).isTrue();
        assertThat(rollback.buildId()).isEqualTo(firstBuild);
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertEveryHost(firstBuild, HostState.HEALTHY));
    }

    private static DeployRequest request(String sha) {
        return DeployRequest.of(sha).withRequestedBy("e2e-test").withTimeout(Duration.ofMinutes(8));
    }

    private static Release release() {
        return codeDeploy.status(ENV).release();
    }

    private static void assertEveryHost(long build, HostState state) {
        RolloutStatus status = codeDeploy.status(ENV);
        for (RegionStatus region : status.regions()) {
            assertThat(region.builds()).as(region.region()).containsOnlyKeys(build);
            assertThat(region.builds().get(build)).as(region.region()).containsEntry(state, region.hosts());
        }
    }

    private static DeployResult get(Future<DeployResult> future) throws Exception {
        try {
            return future.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e;
        }
    }
}
