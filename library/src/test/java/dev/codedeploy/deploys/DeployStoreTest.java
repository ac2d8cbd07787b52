package dev.codedeploy.deploys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.ConflictException;
import dev.codedeploy.InvalidFieldException;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.StageTiming.Stage;
import dev.codedeploy.deploys.DeployStore.Event;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deploys table without a running conductor: requests, leases, fencing, cancels. */
class DeployStoreTest {

    private static DeploysWorld world;
    private static DeployStore store;

    @BeforeAll
    static void start() {
        world = new DeploysWorld();
        store = new DeployStore(world.database);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Deploy request() {
        return world.deploys.create(CreateDeploy.of(DeploysWorld.newSha()).withEnvironment(world.newEnvironment()), "alice");
    }

    @Test
    void aStaleConductorsWritesAreRefusedOnceAnotherTookTheDeploy() {
        Deploy deploy = request();
        DeployLease stale = store.claim("a", 10, Duration.ofMillis(300), List.of(deploy.id())).get(0);
        store.change(stale, DeployState.REQUESTED, DeployChange.to(DeployState.BUILDING), new Event(Stage.QUEUED, "a moved it", null));
        DeployLease fresh = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> store.claim("b", 10, Duration.ofMinutes(1), List.of(deploy.id())), l -> !l.isEmpty()).get(0);
        assertThat(fresh.attempt()).isEqualTo(stale.attempt() + 1);
        int events = world.deploys.events(deploy.id(), 0, 100).size();

        assertThatThrownBy(() -> store.change(stale, DeployState.BUILDING, DeployChange.to(DeployState.REPLICATING),
                new Event(Stage.REPLICATING, "a again", null))).isInstanceOf(DeployLeaseLostException.class)
                .hasMessageContaining("attempt " + stale.attempt() + " of a no longer holds it");
        assertThat(store.renew(stale, Duration.ofMinutes(1))).isFalse();
        assertThatThrownBy(() -> store.enterPublishing(stale, deploy.environment(), new Event(Stage.PUBLISHING, "a publishes", null)))
                .isInstanceOf(DeployLeaseLostException.class);
        assertThat(world.deploys.get(deploy.id()).state()).isEqualTo(DeployState.BUILDING);
        assertThat(world.deploys.events(deploy.id(), 0, 100)).hasSize(events);
        store.change(fresh, DeployState.BUILDING, DeployChange.stay(), new Event(Stage.QUEUED, "b writes", null));
        assertThat(world.deploys.get(deploy.id()).message()).isEqualTo("b writes");
    }

    @Test
    void aLeaseThatHoldsIsNotClaimedAgainAndAReleasedOneIsAtOnce() {
        Deploy deploy = request();
        DeployLease held = store.claim("a", 10, Duration.ofMinutes(1), List.of(deploy.id())).get(0);
        assertThat(store.claim("b", 10, Duration.ofMinutes(1), List.of(deploy.id()))).isEmpty();
        assertThat(store.renew(held, Duration.ofMinutes(1))).isTrue();
        store.release(held);
        assertThat(store.claim("b", 10, Duration.ofMinutes(1), List.of(deploy.id()))).singleElement()
                .satisfies(l -> assertThat(l.conductor()).isEqualTo("b"));
    }

    @Test
    void aCancelEndsAnUnheldDeployAtOnceAndOnlyAsksAHeldOne() {
        Deploy free = request();
        Deploy cancelled = world.deploys.cancel(free.id(), "bob");
        assertThat(cancelled.state()).isEqualTo(DeployState.CANCELLED);
        assertThat(cancelled.error()).isEqualTo("cancelled by bob before it started");
        assertThat(world.deploys.events(free.id(), 0, 10)).last().satisfies(e -> assertThat(e.state()).isEqualTo(DeployState.CANCELLED));
        assertThatThrownBy(() -> world.deploys.cancel(free.id(), "bob")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("already ended CANCELLED");

        Deploy held = request();
        store.claim("a", 10, Duration.ofMinutes(1), List.of(held.id()));
        Deploy asked = world.deploys.cancel(held.id(), "bob");
        assertThat(asked.state()).isEqualTo(DeployState.REQUESTED);
        assertThat(asked.cancelRequested()).isTrue();
    }

    @Test
    void badRequestsNameTheFieldAndStoreNothing() {
        int before = world.deploys.recent(null, false, null, 500).size();
        assertThatThrownBy(() -> world.deploys.create(CreateDeploy.of("main"), "alice")).isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("40 hex digits").extracting(e -> ((InvalidFieldException) e).field()).isEqualTo("sha");
        assertThatThrownBy(() -> world.deploys.create(CreateDeploy.of(DeploysWorld.newSha()).withEnvironment("staging"), "alice"))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("environment 'staging' is unknown")
                .extracting(e -> ((InvalidFieldException) e).field()).isEqualTo("environment");
        assertThatThrownBy(() -> world.deploys.create(CreateDeploy.of(DeploysWorld.newSha()).withRepository("ftp://x/y"), "alice"))
                .isInstanceOf(InvalidFieldException.class).extracting(e -> ((InvalidFieldException) e).field()).isEqualTo("repository");
        assertThatThrownBy(() -> world.deploys.create(CreateDeploy.of(DeploysWorld.newSha()).withTimeoutSeconds(0L), "alice"))
                .isInstanceOf(InvalidFieldException.class).extracting(e -> ((InvalidFieldException) e).field()).isEqualTo("timeoutSeconds");
        assertThat(world.deploys.recent(null, false, null, 500)).hasSize(before);
    }

    @Test
    void aLockedEnvironmentRefusesTheRequest() {
        String env = world.newEnvironment();
        world.plane.locks().lock(env, "ops", "release freeze");
        assertThatThrownBy(() -> world.deploys.create(CreateDeploy.of(DeploysWorld.newSha()).withEnvironment(env), "alice"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("locked by ops").hasMessageContaining("release freeze");
        assertThat(world.deploys.recent(env, false, null, 10)).isEmpty();
    }
}
