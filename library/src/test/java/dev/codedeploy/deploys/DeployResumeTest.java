package dev.codedeploy.deploys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.StageTiming.Stage;
import dev.codedeploy.deploys.DeployStore.Event;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.rollout.DeploymentAction;
import dev.codedeploy.rollout.PublishOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A conductor that dies at each stage (its lease simply passes): another one takes the deploy over, resumes it from its
 * recorded state, and the release is published exactly once, even when the dead one had written it to ZooKeeper and
 * not yet, or not at all, to the database.
 */
class DeployResumeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration SHORT = Duration.ofMillis(300);

    private static DeploysWorld world;
    private static DeployStore store;
    private static JobQueue queue;

    /** Where the dead conductor stopped. */
    enum DiedAt { REQUESTED, BUILDING, REPLICATING, PUBLISHING, PUBLISHED_IN_ZOOKEEPER_AND_AUDIT, PUBLISHED_IN_ZOOKEEPER_ONLY, ROLLING_OUT }

    @BeforeAll
    static void start() {
        world = new DeploysWorld();
        store = new DeployStore(world.database);
        queue = new JobQueue(world.database, QueueConfig.DEFAULTS);
    }

    @BeforeEach
    void isolate() {
        world.reset();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @ParameterizedTest
    @EnumSource(DiedAt.class)
    void anotherConductorResumesTheDeployAndPublishesOnce(DiedAt diedAt) throws Exception {
        String env = world.newEnvironment();
        world.hosts(env, 1);
        String sha = DeploysWorld.newSha();
        Deploy deploy = world.deploys.create(CreateDeploy.of(sha).withEnvironment(env), "alice");
        DeployLease dead = store.claim("dead", 1, SHORT, List.of(deploy.id())).get(0);
        die(dead, deploy, diedAt);

        DeployConductor heir = world.conductor("heir-" + diedAt);
        if (diedAt == DiedAt.BUILDING) {
            world.buildAndReplicateNext();
        }
        Deploy done = world.awaitState(deploy.id(), DeployState.SUCCEEDED, PATIENCE);
        heir.close();

        assertThat(world.plane.history().recent(env, 100)).filteredOn(d -> d.action() == DeploymentAction.PUBLISH).singleElement()
                .satisfies(p -> assertThat(p.releaseVersion()).isEqualTo(done.releaseVersion()));
        assertThat(world.plane.release(env).orElseThrow().deployId()).isEqualTo(deploy.id());
        assertThat(done.regions()).singleElement().satisfies(r -> assertThat(r.healthy()).isEqualTo(1));
    }

    /** Takes the deploy as far as {@code diedAt} the way a conductor would, then stops renewing its lease. */
    private static void die(DeployLease lease, Deploy deploy, DiedAt diedAt) throws Exception {
        if (diedAt == DiedAt.REQUESTED) {
            world.deployableBuild(deploy.sha());
            return;
        }
        if (diedAt == DiedAt.BUILDING) {
            Job job = queue.enqueue(DeploysWorld.REPO, deploy.sha(), "alice");
            store.change(lease, DeployState.REQUESTED, DeployChange.to(DeployState.BUILDING).job(job.id(), true),
                    new Event(Stage.QUEUED, "queued build job " + job.id(), null));
            return;
        }
        long build = world.deployableBuild(deploy.sha());
        store.change(lease, DeployState.REQUESTED, DeployChange.to(DeployState.REPLICATING).job(build, false),
                new Event(Stage.REPLICATING, "reusing build " + build, null));
        if (diedAt == DiedAt.REPLICATING) {
            return;
        }
        assertThat(store.enterPublishing(lease, deploy.environment(), new Event(Stage.PUBLISHING, "publishing", null))).isNull();
        if (diedAt == DiedAt.PUBLISHING) {
            return;
        }
        long version = world.plane.publish(deploy.environment(), build, "alice", PublishOptions.forDeploy(deploy.id())).release().version();
        if (diedAt == DiedAt.PUBLISHED_IN_ZOOKEEPER_ONLY) {
            // the audit row's transaction never committed
            try (Connection c = world.database.connection();
                 PreparedStatement delete = c.prepareStatement("DELETE FROM deployments WHERE deploy_id = ?")) {
                delete.setLong(1, deploy.id());
                assertThat(delete.executeUpdate()).isEqualTo(1);
                c.commit();
            }
        }
        if (diedAt == DiedAt.ROLLING_OUT) {
            store.change(lease, DeployState.PUBLISHING, DeployChange.to(DeployState.ROLLING_OUT).releaseVersion(version),
                    new Event(Stage.ROLLING_OUT, "published version " + version, null));
        }
    }
}
