package dev.codedeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.release.ReleaseWatcher;
import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hosts act only on records whose signature verifies; anything else is logged and skipped, and breaks nothing. */
class ReleaseWatcherTest {

    private static final String ENV = "production";
    private static RolloutCluster cluster;
    private static CuratorFramework control;

    @BeforeAll
    static void start() throws Exception {
        cluster = new RolloutCluster("eu");
        control = cluster.controlClient(cluster.regions.get("eu"));
        control.create().creatingParentsIfNeeded().forPath(ZkLayout.hosts(ENV));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private void write(byte[] bytes) throws Exception {
        if (control.checkExists().forPath(ZkLayout.release(ENV)) == null) {
            control.create().forPath(ZkLayout.release(ENV), bytes);
        } else {
            control.setData().forPath(ZkLayout.release(ENV), bytes);
        }
    }

    private static byte[] signed(long buildId, long version) {
        Release r = ReleaseBuilder.from(RegionSyncTest.release(buildId)).version(version).openWave(0).waves(java.util.List.of(100)).build();
        return SignedRelease.sign(r, cluster.keys.getPrivate(), "test").toBytes();
    }

    @Test
    void malformedUnsignedAndWronglySignedRecordsAreIgnored() throws Exception {
        SimulatedHost host = cluster.host("eu", "watcher-host", SimulatedHost.Behaviour.HEALTHY);
        write(signed(1, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> host.status().state() == HostState.HEALTHY);
        byte[] good = signed(2, 2);
        String tampered = new String(good, StandardCharsets.UTF_8).replace("\\\"buildId\\\":2", "\\\"buildId\\\":666");
        byte[] otherKey = SignedRelease.sign(ReleaseBuilder.from(RegionSyncTest.release(3)).version(3).build(),
                ReleaseKeys.generate().getPrivate(), "attacker").toBytes();
        byte[][] bad = {tampered.getBytes(StandardCharsets.UTF_8), otherKey, "not json".getBytes(StandardCharsets.UTF_8),
                "{\"payload\":\"{}\"}".getBytes(StandardCharsets.UTF_8)};
        for (int i = 0; i < bad.length; i++) {
            write(bad[i]);
            int seen = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> host.rejectedRecords() >= seen);
        }
        assertThat(host.actedOn()).containsExactly(1L);
        assertThat(host.status().currentBuildId()).isEqualTo(1L);
        // the watcher is still alive: the next valid record is taken
        write(signed(2, 4));
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(2).equals(host.status().currentBuildId()));
        // and an older version is not
        write(signed(7, 3));
        write(signed(2, 5));
        await().atMost(Duration.ofSeconds(10)).until(() -> host.actedOn().contains(5L));
        assertThat(host.actedOn()).containsExactly(1L, 4L, 5L);
    }

    private void write(String environment, byte[] bytes) throws Exception {
        String path = ZkLayout.release(environment);
        if (control.checkExists().forPath(path) == null) {
            control.create().creatingParentsIfNeeded().forPath(path, bytes);
        } else {
            control.setData().forPath(path, bytes);
        }
    }

    private static Release releaseOf(String environment, long buildId, long version) {
        return new Release(Release.FORMAT, environment, version, buildId, "c".repeat(40), "git://h/r", "builds/c/" + buildId + "/1/artifact",
                "builds/c/" + buildId + "/1/artifact.torrent", "builds/c/" + buildId + "/1/manifest.json", 10, "d".repeat(64), 4 << 20,
                "FILE", "app.bin", null, java.util.List.of(100), 0, false, false, null, "test", java.time.Instant.now());
    }

    @Test
    void aRecordOfAnotherEnvironmentIsRefused() throws Exception {
        String env = "env-check";
        control.create().creatingParentsIfNeeded().forPath(ZkLayout.hosts(env));
        SimulatedHost host = cluster.host("eu", env, "env-host", SimulatedHost.Behaviour.HEALTHY);
        write(env, SignedRelease.sign(releaseOf(env, 3, 1), cluster.keys.getPrivate(), "test").toBytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> host.status().state() == HostState.HEALTHY);
        // a validly signed staging record, of a higher version, written into this environment's node
        write(env, SignedRelease.sign(releaseOf("staging", 55, 900), cluster.keys.getPrivate(), "test").toBytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> host.rejectedRecords() >= 1);
        assertThat(host.actedOn()).containsExactly(1L);
        assertThat(host.status().currentBuildId()).isEqualTo(3L);
    }

    @Test
    void aFreshHostTakesOnlyARecentlySignedRecord() throws Exception {
        String env = "fresh-check";
        SignedRelease old = SignedRelease.sign(releaseOf(env, 8, 800), cluster.keys.getPrivate(), "test",
                java.time.Instant.now().minus(Duration.ofDays(3)));
        write(env, old.toBytes());
        java.util.List<ReleaseWatcher.Verified> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.codedeploy.release.ReleaseKeyring keys = dev.codedeploy.release.ReleaseKeyring.anyId(cluster.keys.getPublic());
        try (ReleaseWatcher fresh = new ReleaseWatcher(control, env, keys, 0, Duration.ofDays(1), java.time.Clock.systemUTC(), seen::add);
             ReleaseWatcher known = new ReleaseWatcher(control, env, keys, 700, Duration.ofDays(1), java.time.Clock.systemUTC(), v -> { })) {
            fresh.start();
            known.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> fresh.rejected() >= 1 && known.latest() != null);
            assertThat(seen).isEmpty();
            // a host that acted on version 700 knows better than the age: a newer version is taken
            assertThat(known.latest().release().version()).isEqualTo(800);
            // the control plane signs the same record again: now the fresh host takes it
            write(env, old.resign(cluster.keys.getPrivate(), "test", java.time.Instant.now()).toBytes());
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
            assertThat(seen.get(0).release().version()).isEqualTo(800);
        }
    }
}
