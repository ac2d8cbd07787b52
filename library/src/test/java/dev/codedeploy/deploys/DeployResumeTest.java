package dev.codedeploy.deploys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.rollout.DeploymentAction;
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
    @EnumSource(DeadConductor.DiedAt.class)
    void anotherConductorResumesTheDeployAndPublishesOnce(DeadConductor.DiedAt diedAt) throws Exception {
        String env = world.newEnvironment();
        world.hosts(env, 1);
        String sha = DeploysWorld.newSha();
        Deploy deploy = world.deploys.create(CreateDeploy.of(sha).withEnvironment(env), "alice");
        DeployLease dead = store.claim("dead", 1, SHORT, List.of(deploy.id())).get(0);
        DeadConductor.takeTo(world, store, dead, deploy, diedAt);

        DeployConductor heir = world.conductor("heir-" + diedAt);
        if (diedAt == DeadConductor.DiedAt.BUILDING) {
            world.buildAndReplicateNext();
        }
        Deploy done = world.awaitState(deploy.id(), DeployState.SUCCEEDED, PATIENCE);
        heir.close();

        assertThat(world.plane.history().recent(env, 100)).filteredOn(d -> d.action() == DeploymentAction.PUBLISH).singleElement()
                .satisfies(p -> assertThat(p.releaseVersion()).isEqualTo(done.releaseVersion()));
        assertThat(world.plane.release(env).orElseThrow().deployId()).isEqualTo(deploy.id());
        assertThat(done.regions()).singleElement().satisfies(r -> assertThat(r.healthy()).isEqualTo(1));
    }
}
