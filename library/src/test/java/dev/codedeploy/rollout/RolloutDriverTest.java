package dev.codedeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.Waves;
import dev.codedeploy.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The driver over real ZooKeeper servers with simulated hosts in two regions; bake time runs on a test clock. */
class RolloutDriverTest {

    private static final List<Integer> WAVES = List.of(10, 50, 100);
    private static final Duration BAKE = Duration.ofHours(1);
    private static RolloutCluster cluster;
    private static RolloutControlPlane plane;
    private static RolloutConfig config;
    private static final MutableClock CLOCK = new MutableClock();

    @BeforeAll
    static void start() {
        cluster = new RolloutCluster("eu", "us");
        RolloutPolicy baked = new RolloutPolicy(WAVES, 1.0, 0.2, BAKE, 100, Duration.ofDays(1));
        RolloutPolicy quick = new RolloutPolicy(WAVES, 1.0, 0.2, Duration.ZERO, 100, Duration.ofDays(1));
        config = cluster.config(Map.of("waves", baked, "manual", baked, "pause", baked, "auto", quick, "fresh", quick),
                Duration.ofSeconds(5), Duration.ofMillis(100));
        plane = cluster.controlPlane(config, CLOCK, EnumSet.allOf(RolloutControlPlane.Role.class));
        await().atMost(Duration.ofSeconds(20)).until(() -> plane.driver().isLeader());
    }

    @AfterAll
    static void close() {
        cluster.close();
    }

    /** Six hosts over two regions: two in each wave of {@link #WAVES}, so every wave switches someone. */
    private static List<SimulatedHost> hosts(String environment) {
        List<SimulatedHost> hosts = new ArrayList<>();
        int[] perWave = new int[WAVES.size()];
        for (int i = 0; i < 1000 && hosts.size() < 6; i++) {
            String id = environment + "-host-" + i;
            int wave = waveOf(id);
            if (perWave[wave] < 2) {
                perWave[wave]++;
                hosts.add(cluster.host(hosts.size() % 2 == 0 ? "eu" : "us", environment, id, SimulatedHost.Behaviour.HEALTHY));
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> hosts.stream().allMatch(SimulatedHost::isRegistered));
        return hosts;
    }

    private static int waveOf(String hostId) {
        int p = Waves.percentileOf(hostId);
        for (int w = 0; w < WAVES.size(); w++) {
            if (p < WAVES.get(w)) {
                return w;
            }
        }
        throw new IllegalStateException();
    }

    private static void awaitHosts(List<SimulatedHost> hosts, Predicate<SimulatedHost> condition) {
        await().atMost(Duration.ofSeconds(30)).until(() -> hosts.stream().allMatch(condition));
    }

    private static Predicate<SimulatedHost> healthyOn(long build) {
        return h -> h.status().state() == HostState.HEALTHY && Long.valueOf(build).equals(h.status().currentBuildId());
    }

    private static Release release(String environment) {
        return plane.release(environment).orElseThrow();
    }

    /** Waits until the driver's last decision on the current record starts with {@code start}. */
    private static void awaitReason(String environment, String start) {
        await().atMost(Duration.ofSeconds(30)).until(() -> String.valueOf(plane.driver().lastReason(environment))
                .startsWith("v" + release(environment).version() + " " + start));
    }

    /** Publishes and walks the rollout through every bake time to completion. */
    private static void deployFully(String environment, long build, List<SimulatedHost> hosts) throws Exception {
        ReleasePublisher.Published published = plane.publish(environment, build, "alice", null);
        for (int wave = 0; wave < WAVES.size(); wave++) {
            int w = wave;
            await().atMost(Duration.ofSeconds(30)).until(() -> release(environment).openWave() == w);
            awaitReason(environment, "WAIT: baking");
            CLOCK.advance(BAKE);
        }
        RolloutOutcome outcome = plane.awaitOutcome(environment, published, Duration.ofSeconds(30), null);
        assertThat(outcome.result()).isEqualTo(RolloutOutcome.Result.COMPLETED);
        awaitHosts(hosts, healthyOn(build));
    }

    @Test
    void aControlPlaneThatJustStartedCountsTheHostsAlreadyRegistered() {
        List<SimulatedHost> hosts = hosts("fresh");
        // what the CLI's status does: a new process, one question, no time for caches to fill in between
        RolloutControlPlane fresh = cluster.controlPlane(config, CLOCK, EnumSet.noneOf(RolloutControlPlane.Role.class));

        RolloutStatus status = fresh.status("fresh");

        assertThat(status.regions()).extracting(RegionStatus::hosts).containsExactly(3, 3);
        assertThat(status.regions().stream().mapToInt(RegionStatus::hosts).sum()).isEqualTo(hosts.size());
    }

    @Test
    void hostsDownloadAtOnceAndSwitchWaveByWaveAfterEachBakeTime() throws Exception {
        List<SimulatedHost> hosts = hosts("waves");
        long build = cluster.deployableBuild();
        plane.publish("waves", build, "alice", null);
        // the first wave opens at once; its hosts switch, the others download and wait
        await().atMost(Duration.ofSeconds(30)).until(() -> release("waves").openWave() == 0);
        awaitReason("waves", "WAIT: baking");
        for (SimulatedHost h : hosts) {
            HostState expected = waveOf(h.hostId()) == 0 ? HostState.HEALTHY : HostState.VERIFIED;
            await().atMost(Duration.ofSeconds(10)).until(() -> h.status().state() == expected);
        }
        RolloutStatus status = plane.status("waves");
        assertThat(status.regions()).extracting(RegionStatus::region).containsExactly("eu", "us");
        assertThat(status.regions()).allSatisfy(r -> assertThat(r.releaseVersion()).isEqualTo(release("waves").version()));
        int healthy = status.regions().stream().mapToInt(r -> r.builds().get(build).getOrDefault(HostState.HEALTHY, 0)).sum();
        int verified = status.regions().stream().mapToInt(r -> r.builds().get(build).getOrDefault(HostState.VERIFIED, 0)).sum();
        assertThat(healthy).isEqualTo(2);
        assertThat(verified).isEqualTo(4);
        assertThat(status.progress().downloaded()).isEqualTo(6);

        // baking: the next wave waits for the clock
        assertThat(release("waves").openWave()).isEqualTo(0);
        CLOCK.advance(BAKE.minusSeconds(1));
        awaitReason("waves", "WAIT: baking: healthy for 3599 s");
        assertThat(release("waves").openWave()).isEqualTo(0);
        CLOCK.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> release("waves").openWave() == 1);
        awaitReason("waves", "WAIT: baking");
        CLOCK.advance(BAKE);
        await().atMost(Duration.ofSeconds(30)).until(() -> release("waves").openWave() == 2);
        awaitReason("waves", "WAIT: baking");
        CLOCK.advance(BAKE);
        awaitHosts(hosts, healthyOn(build));
        await().atMost(Duration.ofSeconds(30)).until(() -> plane.history().recent("waves", 1).get(0).action() == DeploymentAction.COMPLETED);
        assertThat(plane.history().recent("waves", 10)).extracting(Deployment::action).containsExactly(DeploymentAction.COMPLETED,
                DeploymentAction.WAVE_OPENED, DeploymentAction.WAVE_OPENED, DeploymentAction.WAVE_OPENED, DeploymentAction.PUBLISH);
    }

    @Test
    void tooManyFailedHostsRollTheEnvironmentBackAutomatically() throws Exception {
        List<SimulatedHost> hosts = hosts("auto");
        long good = cluster.deployableBuild();
        ReleasePublisher.Published first = plane.publish("auto", good, "alice", null);
        assertThat(plane.awaitOutcome("auto", first, Duration.ofSeconds(30), null).result()).isEqualTo(RolloutOutcome.Result.COMPLETED);
        awaitHosts(hosts, healthyOn(good));

        hosts.forEach(h -> h.behave(SimulatedHost.Behaviour.FAILS_HEALTH_CHECK));
        long bad = cluster.deployableBuild();
        ReleasePublisher.Published second = plane.publish("auto", bad, "alice", null);
        RolloutOutcome outcome = plane.awaitOutcome("auto", second, Duration.ofSeconds(30), null);
        assertThat(outcome.result()).isEqualTo(RolloutOutcome.Result.ROLLED_BACK);
        assertThat(outcome.deployment().action()).isEqualTo(DeploymentAction.AUTO_ROLLBACK);
        assertThat(outcome.deployment().detail()).contains("failed on build " + bad);
        Release now = release("auto");
        assertThat(now.rollback()).isTrue();
        assertThat(now.buildId()).isEqualTo(good);
        awaitHosts(hosts, healthyOn(good));
        await().atMost(Duration.ofSeconds(30)).until(() -> plane.history().recent("auto", 1).get(0).action()
                == DeploymentAction.ROLLBACK_COMPLETED);
    }

    @Test
    void anOperatorRollsBackMidRolloutAndEveryHostReturns() throws Exception {
        List<SimulatedHost> hosts = hosts("manual");
        long good = cluster.deployableBuild();
        deployFully("manual", good, hosts);
        long next = cluster.deployableBuild();
        ReleasePublisher.Published published = plane.publish("manual", next, "alice", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> release("manual").openWave() == 0);
        awaitHosts(hosts.stream().filter(h -> waveOf(h.hostId()) == 0).toList(), healthyOn(next));
        plane.rollback("manual", "bob", "latency up");
        assertThat(plane.awaitOutcome("manual", published, Duration.ofSeconds(5), null).result())
                .isEqualTo(RolloutOutcome.Result.ROLLED_BACK);
        awaitHosts(hosts, healthyOn(good));
    }

    @Test
    void aPausedRolloutOpensNoWaveUntilResumed() throws Exception {
        List<SimulatedHost> hosts = hosts("pause");
        long build = cluster.deployableBuild();
        plane.publish("pause", build, "alice", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> release("pause").openWave() == 0);
        awaitReason("pause", "WAIT: baking");
        plane.pause("pause", "bob");
        CLOCK.advance(BAKE.multipliedBy(2));
        awaitReason("pause", "WAIT: paused");
        assertThat(release("pause").openWave()).isEqualTo(0);
        plane.resume("pause", "bob");
        await().atMost(Duration.ofSeconds(30)).until(() -> release("pause").openWave() == 1);
        assertThat(hosts).isNotEmpty();
    }
}
