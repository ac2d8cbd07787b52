package dev.codedeploy.deploys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.deploys.DeadConductor.DiedAt;
import dev.codedeploy.rollout.DeploymentAction;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A cancel at each stage: the deploy is held at the stage by a conductor that then dies, the cancel is asked, and the
 * conductor that takes it over ends it CANCELLED with what it did there, publishing nothing that was not published.
 */
class DeployCancelTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static DeploysWorld world;
    private static DeployStore store;

    @BeforeAll
    static void start() {
        world = new DeploysWorld();
        store = new DeployStore(world.database);
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
    @CsvSource(delimiter = '|', value = {
            "REQUESTED   | cancelled by bob before it started                  | 0",
            "BUILDING    | cancelled by bob while building                     | 0",
            "REPLICATING | cancelled by bob while its build was copied        | 0",
            "PUBLISHING  | cancelled by bob before its release was published   | 0",
            "PUBLISHED_IN_ZOOKEEPER_ONLY | cancelled by bob during the rollout: paused | 1",
            "ROLLING_OUT | cancelled by bob during the rollout: paused          | 1"})
    void aCancelAtEachStageEndsTheDeployCancelledAndUndoesWhatItStarted(DiedAt stage, String said, int publishes) throws Exception {
        String env = world.newEnvironment();
        Deploy deploy = world.deploys.create(CreateDeploy.of(DeploysWorld.newSha()).withEnvironment(env), "alice");
        DeployLease dead = store.claim("dead", 1, Duration.ofMillis(300), List.of(deploy.id())).get(0);
        DeadConductor.takeTo(world, store, dead, deploy, stage);

        assertThat(world.deploys.cancel(deploy.id(), "bob").cancelRequested()).isTrue();
        DeployConductor heir = world.conductor("heir-" + stage);
        Deploy cancelled = world.awaitState(deploy.id(), DeployState.CANCELLED, PATIENCE);
        heir.close();

        assertThat(cancelled.error()).startsWith(said);
        assertThat(world.plane.history().recent(env, 100)).filteredOn(d -> d.action() == DeploymentAction.PUBLISH).hasSize(publishes);
        if (publishes > 0) {
            assertThat(world.plane.release(env).orElseThrow().paused()).as("a first release has nothing to roll back to").isTrue();
        }
    }
}
