package dev.codedeploy.deploys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.StageTiming;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.rollout.Deployment;
import dev.codedeploy.rollout.DeploymentAction;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deploys through their states with a real conductor, control plane, driver and simulated hosts. */
class DeployConductorTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static DeploysWorld world;
    private static JobQueue queue;

    @BeforeAll
    static void start() {
        world = new DeploysWorld();
        queue = new JobQueue(world.database, QueueConfig.DEFAULTS);
        world.conductor("conductor-test");
    }

    @org.junit.jupiter.api.BeforeEach
    void isolate() {
        world.reset();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Deploy request(String env, String sha) {
        return world.deploys.create(CreateDeploy.of(sha).withEnvironment(env), "alice");
    }

    private static List<Deployment> publishes(String env) {
        return world.plane.history().recent(env, 100).stream()
                .filter(d -> d.action() == DeploymentAction.PUBLISH || d.action() == DeploymentAction.PUBLISH_FORCED).toList();
    }

    @Test
    void aDeployGoesThroughEveryStateToSucceededAndPublishesOnce() {
        String env = world.newEnvironment();
        world.hosts(env, 2);
        Deploy deploy = request(env, DeploysWorld.newSha());
        Deploy building = world.awaitState(deploy.id(), DeployState.BUILDING, PATIENCE);
        assertThat(queue.find(building.jobId()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(world.buildAndReplicateNext()).isEqualTo(building.jobId());

        Deploy done = world.awaitState(deploy.id(), DeployState.SUCCEEDED, PATIENCE);

        assertThat(world.deploys.events(deploy.id(), 0, 500)).extracting(DeployEvent::state).containsSubsequence(DeployState.REQUESTED,
                DeployState.BUILDING, DeployState.REPLICATING, DeployState.PUBLISHING, DeployState.ROLLING_OUT, DeployState.SUCCEEDED);
        assertThat(done.timings()).extracting(StageTiming::stage).containsExactly(StageTiming.Stage.QUEUED, StageTiming.Stage.BUILDING,
                StageTiming.Stage.REPLICATING, StageTiming.Stage.PUBLISHING, StageTiming.Stage.ROLLING_OUT);
        assertThat(done.timings()).allSatisfy(t -> assertThat(t.endedAt()).isNotNull());
        assertThat(done.regions()).singleElement().satisfies(r -> {
            assertThat(r.hosts()).isEqualTo(2);
            assertThat(r.healthy()).isEqualTo(2);
        });
        assertThat(done.requestedBy()).isEqualTo("alice");
        assertThat(publishes(env)).singleElement().satisfies(p -> assertThat(p.actor()).isEqualTo("alice"));
        assertThat(world.plane.release(env).orElseThrow().deployId()).isEqualTo(deploy.id());
    }

    @Test
    void aCompletedBuildOfTheSameCommitIsReusedInsteadOfBuiltAgain() {
        String env = world.newEnvironment();
        world.hosts(env, 1);
        String sha = DeploysWorld.newSha();
        long build = world.deployableBuild(sha);

        Deploy done = world.awaitState(request(env, sha).id(), DeployState.SUCCEEDED, PATIENCE);

        assertThat(done.jobId()).isEqualTo(build);
        assertThat(queue.findBySha(sha, dev.codedeploy.queue.PageRequest.first(10))).hasSize(1);
        assertThat(done.timing(StageTiming.Stage.BUILDING)).isEmpty();
    }

    @Test
    void aNewerRequestSupersedesAnOlderOneThatHasNotPublishedAndCancelsItsBuild() {
        String env = world.newEnvironment();
        world.hosts(env, 1);
        String sha = DeploysWorld.newSha();
        world.deployableBuild(sha);
        Deploy older = request(env, DeploysWorld.newSha());
        long olderJob = world.awaitState(older.id(), DeployState.BUILDING, PATIENCE).jobId();
        Deploy newer = request(env, sha);

        Deploy superseded = world.awaitState(older.id(), DeployState.SUPERSEDED, PATIENCE);
        assertThat(superseded.supersededBy()).isEqualTo(newer.id());
        assertThat(superseded.error()).contains("superseded by deploy " + newer.id());
        assertThat(queue.find(olderJob).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        world.awaitState(newer.id(), DeployState.SUCCEEDED, PATIENCE);
        assertThat(publishes(env)).hasSize(1);
    }

    @Test
    void onlyOneDeployRollsOutToAnEnvironmentAtATime() {
        String env = world.newEnvironment();
        // no host: the first rollout waits for hosts to register, and holds the environment
        String first = DeploysWorld.newSha();
        world.deployableBuild(first);
        Deploy rolling = world.awaitState(request(env, first).id(), DeployState.ROLLING_OUT, PATIENCE);
        String second = DeploysWorld.newSha();
        world.deployableBuild(second);
        Deploy waiting = request(env, second);

        Awaitility.await().atMost(PATIENCE).until(() -> String.valueOf(world.deploys.get(waiting.id()).message())
                .contains("waiting for deploy " + rolling.id()));
        assertThat(world.deploys.get(waiting.id()).state()).isEqualTo(DeployState.REPLICATING);
        assertThat(world.deploys.get(rolling.id()).state()).isEqualTo(DeployState.ROLLING_OUT);

        world.deploys.cancel(rolling.id(), "bob");
        Deploy cancelled = world.awaitState(rolling.id(), DeployState.CANCELLED, PATIENCE);
        assertThat(cancelled.error()).contains("cancelled by bob during the rollout: paused");
        world.awaitState(waiting.id(), DeployState.ROLLING_OUT, PATIENCE);
        assertThat(publishes(env)).hasSize(2);
    }

    @Test
    void aCancelWhileBuildingCancelsItsOwnBuild() {
        String env = world.newEnvironment();
        Deploy deploy = request(env, DeploysWorld.newSha());
        long job = world.awaitState(deploy.id(), DeployState.BUILDING, PATIENCE).jobId();

        world.deploys.cancel(deploy.id(), "bob");

        assertThat(queue.find(job).orElseThrow().status()).as("cancelled by the request itself").isEqualTo(JobStatus.CANCELLED);
        Deploy cancelled = world.awaitState(deploy.id(), DeployState.CANCELLED, PATIENCE);
        assertThat(cancelled.error()).startsWith("cancelled by bob while building");
    }

    @Test
    void aCancelDuringTheRolloutRollsTheEnvironmentBack() {
        String env = world.newEnvironment();
        List<dev.codedeploy.testing.SimulatedHost> hosts = world.hosts(env, 1);
        String first = DeploysWorld.newSha();
        long firstBuild = world.deployableBuild(first);
        world.awaitState(request(env, first).id(), DeployState.SUCCEEDED, PATIENCE);
        // the host goes away: the driver counts it as down for minutes, so the next rollout cannot finish
        hosts.get(0).close();
        String second = DeploysWorld.newSha();
        world.deployableBuild(second);
        Deploy deploy = request(env, second);
        world.awaitState(deploy.id(), DeployState.ROLLING_OUT, PATIENCE);

        world.deploys.cancel(deploy.id(), "carol");

        Deploy cancelled = world.awaitState(deploy.id(), DeployState.CANCELLED, PATIENCE);
        assertThat(cancelled.error()).contains("cancelled by carol during the rollout: rolled back to build " + firstBuild);
        assertThat(world.plane.release(env).orElseThrow().rollback()).isTrue();
        assertThat(world.plane.history().recent(env, 5)).anySatisfy(d -> {
            assertThat(d.action()).isEqualTo(DeploymentAction.ROLLBACK);
            assertThat(d.actor()).isEqualTo("carol");
        });
    }

    @Test
    void aDeployPastItsDeadlineFailsAsTimedOutAndCancelsItsBuild() {
        String env = world.newEnvironment();
        Deploy deploy = world.deploys.create(CreateDeploy.of(DeploysWorld.newSha()).withEnvironment(env).withTimeoutSeconds(2L), "alice");
        long job = world.awaitState(deploy.id(), DeployState.BUILDING, PATIENCE).jobId();

        Deploy failed = world.awaitState(deploy.id(), DeployState.FAILED, PATIENCE);

        assertThat(failed.timedOut()).isTrue();
        assertThat(failed.error()).contains("timed out").contains("it was BUILDING");
        assertThat(queue.find(job).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }
}
