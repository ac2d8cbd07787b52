package dev.codedeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
}
