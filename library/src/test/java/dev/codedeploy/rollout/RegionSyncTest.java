package dev.codedeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.testing.EmbeddedZooKeeper;
import dev.codedeploy.testing.ZooKeeperSessions;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegionSyncTest {

    private static final String ENV = "production";
    private RolloutCluster cluster;
    private ReleaseNodes master;
    private ReleaseNodes region;
    private ReleaseWriter writer;
    private RegionSync sync;

    @BeforeEach
    void start() {
        cluster = new RolloutCluster("eu");
        master = new ReleaseNodes(cluster.controlClient(cluster.master), cluster.keyring(), "master");
        region = new ReleaseNodes(cluster.controlClient(cluster.regions.get("eu")), cluster.keyring(), "eu");
        writer = new ReleaseWriter(master, cluster.keys.getPrivate(), "test", env -> 0);
    }

    @AfterEach
    void stop() {
        if (sync != null) {
            sync.close();
        }
        cluster.close();
    }

    private void startSync(Duration poll) {
        startSync(poll, null);
    }

    /** Region sync with {@code legacyAgents}, the shared identity of agents of the previous layout (null: none left). */
    private void startSync(Duration poll, Credentials legacyAgents) {
        sync = new RegionSync(master, region, poll, Set.of(ENV), legacyAgents != null, RolloutAcls.controlPlane(RolloutCluster.CONTROL, legacyAgents));
        sync.start();
    }

    static Release release(long buildId) {
        return release(ENV, buildId);
    }

    static Release release(String environment, long buildId) {
        return new Release(Release.FORMAT, environment, 0, buildId, "a".repeat(40), "git://h/r", "builds/a/" + buildId + "/1/artifact",
                "builds/a/" + buildId + "/1/artifact.torrent", "builds/a/" + buildId + "/1/manifest.json", 10, "b".repeat(64), 4 << 20,
                "FILE", "app.bin", null, null, -1, false, false, null, "test", Instant.now());
    }

    private Release publish(long buildId) {
        ReleaseNodes.Stored current = master.read(ENV).orElse(null);
        return writer.write(ENV, current, ReleaseBuilder.from(release(buildId)));
    }

    private long regionVersion() {
        return region.read(ENV).map(ReleaseNodes.Stored::version).orElse(0L);
    }

    @Test
    void theWatchCopiesEachNewRecordWithoutWaitingForThePoll() throws Exception {
        startSync(Duration.ofHours(1));
        publish(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> regionVersion() == 1);
        Release second = publish(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> regionVersion() == second.version());
        assertThat(region.read(ENV).orElseThrow().bytes()).isEqualTo(master.read(ENV).orElseThrow().bytes());
        // the region is prepared for its agents; no agent of the previous layout is left, so no peers/<build>
        assertThat(existsInRegion(ZkLayout.hosts(ENV))).isTrue();
        assertThat(existsInRegion(ZkLayout.legacyPeers(ENV, 2))).isFalse();
    }

    @Test
    void aRegionCatchesUpAfterAPartition() {
        startSync(Duration.ofHours(1));
        publish(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> regionVersion() == 1);
        EmbeddedZooKeeper regional = cluster.regions.get("eu");
        regional.stop();
        publish(2);
        Release third = publish(3);
        regional.restart();
        // no new master event arrives after the restart: the reconnect alone must bring the region up to date
        await().atMost(Duration.ofSeconds(30)).until(() -> regionVersion() == third.version());
        assertThat(region.read(ENV).orElseThrow().release().buildId()).isEqualTo(3);
    }

    @Test
    void regionSyncSurvivesTheExpiryOfItsRegionalSession() throws Exception {
        startSync(Duration.ofHours(1));
        publish(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> regionVersion() == 1);
        long expired = ZooKeeperSessions.expire(region.client());
        await().atMost(Duration.ofSeconds(20)).until(() -> ZooKeeperClients.sessionId(region.client()) != expired
                && region.client().getZookeeperClient().isConnected());
        Release next = publish(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> regionVersion() == next.version());
    }

    @Test
    void theRegionNeverGoesBackToAnOlderVersion() throws Exception {
        publish(1);
        publish(2);
        // the region already holds version 5 (say, the master lost its data and was rebuilt)
        Release newer = ReleaseBuilder.from(release(9)).version(5).build();
        region.compareAndSet(ENV, null, SignedRelease.sign(newer, cluster.keys.getPrivate(), "test").toBytes());
        startSync(Duration.ofMillis(200));
        assertThat(sync.sync(ENV)).isFalse();
        assertThat(region.read(ENV).orElseThrow().release().buildId()).isEqualTo(9);
        // a writer that knows the region's version continues above it
        ReleaseWriter aware = new ReleaseWriter(master, cluster.keys.getPrivate(), "test", sync::regionVersion);
        Release rollback = aware.write(ENV, master.read(ENV).orElseThrow(), ReleaseBuilder.from(release(2)).rollback(true));
        assertThat(rollback.version()).isEqualTo(6);
        await().atMost(Duration.ofSeconds(10)).until(() -> regionVersion() == 6);
    }

    @Test
    void anInvalidMasterRecordIsNotCopiedAndAnInvalidRegionRecordIsRepairedByThePoll() throws Exception {
        startSync(Duration.ofMillis(300));
        Release good = publish(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> regionVersion() == good.version());
        CuratorFramework masterClient = master.client();
        byte[] valid = masterClient.getData().forPath(ZkLayout.release(ENV));
        String tampered = new String(valid).replace("\\\"buildId\\\":1", "\\\"buildId\\\":666");
        masterClient.setData().forPath(ZkLayout.release(ENV), tampered.getBytes());
        assertThat(sync.sync(ENV)).isFalse();
        assertThat(region.read(ENV).orElseThrow().release().buildId()).isEqualTo(1);
        masterClient.setData().forPath(ZkLayout.release(ENV), valid);

        // a broken record appears in the region; no master event follows, the poll repairs it
        region.client().setData().forPath(ZkLayout.release(ENV), tampered.getBytes());
        assertThat(region.read(ENV).orElseThrow().release()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> Optional.ofNullable(region.read(ENV).orElseThrow().release())
                .map(Release::buildId).orElse(0L) == 1L);
    }

    @Test
    void duringAnUpgradeAgentsOfThePreviousLayoutMayCreateUnderHostsAndLoseItOnceItIsDone() throws Exception {
        region = new ReleaseNodes(cluster.controlClient(cluster.regions.get("eu"), RolloutCluster.AGENTS), cluster.keyring(), "eu");
        startSync(Duration.ofHours(1), RolloutCluster.AGENTS);
        sync.syncAll();
        String flat = ZkLayout.legacyHost(ENV, "old-agent");
        try (CuratorFramework oldAgent = ZooKeeperClients.start(RolloutCluster.zk(cluster.regions.get("eu"), RolloutCluster.AGENTS))) {
            oldAgent.create().withMode(CreateMode.EPHEMERAL).forPath(flat);
        }
        try (CuratorFramework oldAgent = ZooKeeperClients.start(RolloutCluster.zk(cluster.regions.get("eu"), RolloutCluster.AGENTS))) {
            sync.close();
            // rollout.agentUser removed: a new region sync takes the permission away
            startSync(Duration.ofHours(1));
            sync.syncAll();
            assertThatThrownBy(() -> oldAgent.create().withMode(CreateMode.EPHEMERAL).forPath(flat + "-again"))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
        assertThat(region.client().getACL().forPath(ZkLayout.hosts(ENV))).extracting(acl -> acl.getId().getId())
                .noneMatch(id -> id.startsWith(RolloutCluster.AGENTS.user() + ":"));
    }

    @Test
    void aBuildsPeersNodeGoesAwayWithItsLastPeerAndComesBackWithItsNextRelease() throws Exception {
        // only while agents of the previous layout are about does region sync prepare peers/<build>
        region = new ReleaseNodes(cluster.controlClient(cluster.regions.get("eu"), RolloutCluster.AGENTS), cluster.keyring(), "eu");
        startSync(Duration.ofHours(1), RolloutCluster.AGENTS);
        publish(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> regionVersion() == 1 && existsInRegion(ZkLayout.legacyPeers(ENV, 1)));
        CuratorFramework regionClient = region.client();
        String peer = ZkLayout.legacyPeers(ENV, 1) + "/host-1";
        regionClient.create().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL).forPath(peer);
        publish(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> regionVersion() == 2);
        assertThat(existsInRegion(ZkLayout.legacyPeers(ENV, 1))).as("kept while a host seeds build 1").isTrue();

        regionClient.delete().forPath(peer);

        await().atMost(Duration.ofSeconds(30)).until(() -> !existsInRegion(ZkLayout.legacyPeers(ENV, 1)));
        assertThat(existsInRegion(ZkLayout.hosts(ENV))).isTrue();
        assertThat(existsInRegion(ZkLayout.legacyPeers(ENV, 2))).as("never had a peer: kept").isTrue();
        // a rollback to build 1 prepares its node again
        publish(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> existsInRegion(ZkLayout.legacyPeers(ENV, 1)));
    }

    private boolean existsInRegion(String path) throws Exception {
        return region.client().checkExists().forPath(path) != null;
    }

    @Test
    void environmentsAreListedFromTheMaster() {
        publish(1);
        startSync(Duration.ofHours(1));
        sync.syncAll();
        assertThat(regionVersion()).isEqualTo(1);
        assertThat(List.of(sync.region())).containsExactly("eu");
    }

    @Test
    void aSignedRecordOfAnotherEnvironmentInTheRegionIsReplacedEvenWithAHigherVersion() {
        Release good = publish(1);
        // a validly signed staging record, of a much higher version, written into production's regional node
        Release staging = new Release(Release.FORMAT, "staging", 500, 77, "c".repeat(40), "git://h/r", "builds/c/77/1/artifact",
                "builds/c/77/1/artifact.torrent", "builds/c/77/1/manifest.json", 10, "d".repeat(64), 4 << 20, "FILE", "app.bin", null,
                null, 0, false, false, null, "test", Instant.now());
        region.compareAndSet(ENV, null, SignedRelease.sign(staging, cluster.keys.getPrivate(), "test").toBytes());
        assertThat(region.read(ENV).orElseThrow().release()).isNull();
        assertThat(region.read(ENV).orElseThrow().error()).contains("environment 'staging'");

        startSync(Duration.ofHours(1));
        assertThat(sync.sync(ENV)).isTrue();
        assertThat(region.read(ENV).orElseThrow().release().buildId()).isEqualTo(good.buildId());
    }

    @Test
    void theSameRecordSignedAgainReachesTheRegionAndNothingElseDoes() throws Exception {
        publish(1);
        startSync(Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> regionVersion() == 1);
        ReleaseNodes.Stored before = region.read(ENV).orElseThrow();
        ReleaseRefresher refresher = new ReleaseRefresher(master, cluster.keys.getPrivate(), "test", Duration.ofHours(1),
                java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(2)));
        assertThat(refresher.refresh(ENV)).isTrue();
        assertThat(refresher.refresh(ENV)).as("fresh now").isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !java.util.Arrays.equals(region.read(ENV).orElseThrow().bytes(), before.bytes()));
        ReleaseNodes.Stored after = region.read(ENV).orElseThrow();
        assertThat(after.version()).isEqualTo(1);
        assertThat(after.signedAt()).isAfter(before.signedAt().plus(Duration.ofMinutes(90)));
        assertThat(after.envelope().payload()).isEqualTo(before.envelope().payload());
        // an older signature of the same record is never copied over a newer one
        assertThat(sync.sync(ENV)).isFalse();
    }
}
