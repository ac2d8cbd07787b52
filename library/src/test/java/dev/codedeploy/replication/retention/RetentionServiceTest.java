package dev.codedeploy.replication.retention;

import dev.codedeploy.replication.ReplicaStatus;
import dev.codedeploy.replication.ReplicationConfig;
import dev.codedeploy.replication.ReplicationException;
import dev.codedeploy.replication.ReplicationListener;
import dev.codedeploy.replication.ReplicationTestBed;
import dev.codedeploy.replication.Replicator;
import dev.codedeploy.replication.gate.DeployGate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.queue.Job;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.testing.EmbeddedServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention keeps what can still be deployed and what runs, and removes the rest from every store. */
class RetentionServiceTest {

    private static final AtomicInteger ROOTS = new AtomicInteger();

    private ReplicationTestBed bed;
    private final List<CuratorFramework> clients = new ArrayList<>();
    private CuratorFramework master;
    private CuratorFramework east;
    private CuratorFramework west;
    private List<Job> jobs;

    @BeforeEach
    void setUp() throws Exception {
        bed = new ReplicationTestBed(Map.of(), "east", "west");
        String root = "/retention-" + ProcessHandle.current().pid() + "-" + ROOTS.incrementAndGet();
        CuratorFramework base = client("");
        for (String name : List.of("master", "east", "west")) {
            base.create().creatingParentsIfNeeded().forPath(root + "/" + name);
        }
        master = client(root + "/master");
        east = client(root + "/east");
        west = client(root + "/west");

        Replicator replicator = bed.replicator(ReplicationTestBed.fastConfig(), ReplicationListener.NONE);
        replicator.start();
        jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Job job = bed.builds.completed(10_000 + i);
            bed.master.putBytes(BuildKeys.ofArtifactKey(job.artifactKey()).log(), "log".getBytes(), "text/plain", Map.of());
            jobs.add(job);
        }
        DeployGate gate = new DeployGate(bed.database, bed.regions.keySet());
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.stream().allMatch(j -> gate.isDeployable(j.id())));
        // every build finished a while ago
        bed.builds.sql("UPDATE jobs SET finished_at = NOW(6) - INTERVAL 40 DAY");
    }

    @AfterEach
    void tearDown() {
        clients.forEach(CuratorFramework::close);
        bed.close();
    }

    private CuratorFramework client(String chroot) {
        CuratorFramework c = CuratorFrameworkFactory.newClient(EmbeddedServers.zooKeeper().connectString() + chroot, new RetryOneTime(100));
        c.start();
        clients.add(c);
        return c;
    }

    private Job job(int n) {
        return jobs.get(n - 1);
    }

    private void deployed(int n, String environment, int daysAgo) {
        bed.builds.sql("INSERT INTO deployments (environment, job_id, action, actor, created_at)"
                + " VALUES (?, ?, 'PUBLISH', 'test', NOW(6) - INTERVAL ? DAY)", environment, job(n).id(), daysAgo);
    }

    private void hostRuns(CuratorFramework region, String environment, String host, Job job) throws Exception {
        HostStatus status = new HostStatus(host, "east", job.id(), null, 1, HostState.HEALTHY, null, null, Instant.now());
        region.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(environment, host), status.toBytes());
    }

    /** A host whose agent is still of the previous, flat layout. */
    private void flatLayoutHostRuns(CuratorFramework region, String environment, String host, Job job) throws Exception {
        HostStatus status = new HostStatus(host, "west", job.id(), null, 1, HostState.HEALTHY, null, null, Instant.now());
        region.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.legacyHost(environment, host), status.toBytes());
    }

    private void release(CuratorFramework zk, String environment, Job job, Job previous) throws Exception {
        Release r = new Release(Release.FORMAT, environment, 1, job.id(), job.sha(), job.repoUrl(), job.artifactKey(), job.torrentKey(),
                job.manifestKey(), job.artifactSize(), job.artifactSha256(), 1 << 18, "FILE", "app.bin", null, null, -1, false, false,
                previous == null ? null : previous.id(), "test", Instant.now());
        byte[] node = SignedRelease.sign(r, ReleaseKeys.generate().getPrivate(), "test").toBytes();
        zk.create().creatingParentsIfNeeded().forPath(ZkLayout.release(environment), node);
    }

    private ZooKeeperBuildsInUse inUse() {
        return ZooKeeperBuildsInUse.of(Map.of("master", master, "east", east, "west", west));
    }

    private RetentionService retention(BuildsInUse inUse) {
        ReplicationConfig config = ReplicationConfig.defaults().withKeepPerEnvironment(1)
                .withRetention(new RetentionConfig(true, Duration.ofDays(7), Duration.ZERO, null, 0));
        return new RetentionService(bed.database, bed.stores(), inUse, config);
    }

    private void assertGone(Job job) {
        for (S3BlobStore store : List.of(bed.master, bed.regions.get("east"), bed.regions.get("west"))) {
            assertThat(store.head(job.artifactKey())).as(store.name()).isEmpty();
            assertThat(store.head(job.manifestKey())).as(store.name()).isEmpty();
            assertThat(store.head(job.torrentKey())).as(store.name()).isEmpty();
        }
        assertThat(bed.master.head(BuildKeys.ofArtifactKey(job.artifactKey()).log())).as("the build log stays").isPresent();
        assertThat(bed.builds.replica(job, "east").status()).isEqualTo(ReplicaStatus.REMOVED);
    }

    private void assertKept(Job job) {
        for (S3BlobStore store : List.of(bed.master, bed.regions.get("east"), bed.regions.get("west"))) {
            assertThat(store.head(job.artifactKey())).as(store.name() + " holds build " + job.id()).isPresent();
        }
        assertThat(new DeployGate(bed.database, bed.regions.keySet()).isDeployable(job.id())).isTrue();
    }

    @Test
    void keepsWhatCanBeDeployedWhatWasDeployedLatelyAndWhatRunsAndRemovesTheRest() throws Exception {
        deployed(2, "production", 20);   // production's older build: removable
        deployed(5, "production", 12);   // production's last build: kept (N = 1)
        deployed(3, "staging", 3);       // within D = 7 days: kept
        hostRuns(east, "production", "host-1", job(1)); // never deployed through us, old, but a host of east runs it
        release(master, "production", job(5), job(3));

        RetentionService.Report report = retention(inUse()).runOnce();

        assertThat(report.removed()).containsExactlyInAnyOrder(job(2).id(), job(4).id());
        assertThat(report.kept()).contains(job(1).id(), job(3).id(), job(5).id(), job(6).id());
        assertGone(job(2));
        assertGone(job(4));
        for (int n : new int[] {1, 3, 5, 6}) {
            assertKept(job(n));
        }
        DeployGate gate = new DeployGate(bed.database, bed.regions.keySet());
        assertThat(gate.isDeployable(job(2).id())).isFalse();
        // the running replicator plans nothing again for removed builds
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> bed.regions.get("east").head(job(4).artifactKey()).isEmpty());
        assertThat(retention(inUse()).runOnce().removed()).as("a second pass has nothing left").isEmpty();
    }

    @Test
    void buildThatComesIntoUseWhileItIsRemovedIsGivenBack() throws Exception {
        deployed(5, "production", 1);
        ZooKeeperBuildsInUse real = inUse();
        AtomicInteger calls = new AtomicInteger();
        // between marking and deleting, a host of west starts running build 2
        BuildsInUse racing = () -> {
            if (calls.incrementAndGet() == 2) {
                try {
                    flatLayoutHostRuns(west, "production", "host-9", job(2));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return real.buildIds();
        };
        RetentionService.Report report = retention(racing).runOnce();
        assertThat(report.givenBack()).contains(job(2).id());
        assertThat(report.removed()).doesNotContain(job(2).id()).contains(job(1).id());
        // its replicas are verified again by the replicator and the gate opens again
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertKept(job(2)));
    }

    @Test
    void buildBeingCopiedIsNotRemoved() {
        bed.builds.sql("UPDATE build_replicas SET status = 'RUNNING', due_at = NOW(6) + INTERVAL 1 HOUR WHERE job_id = ? AND region = 'west'",
                job(3).id());
        RetentionService.Report report = retention(inUse()).runOnce();
        assertThat(report.removed()).doesNotContain(job(3).id()).contains(job(2).id());
        assertThat(bed.regions.get("east").head(job(3).artifactKey())).isPresent();
    }

    @Test
    void unreachableZooKeeperRemovesNothing() {
        ZooKeeperConfig nowhere = new ZooKeeperConfig("127.0.0.1:1", Duration.ofSeconds(2), Duration.ofMillis(500), null, null);
        try (ZooKeeperBuildsInUse unreachable = ZooKeeperBuildsInUse.open(nowhere, List.of())) {
            assertThatThrownBy(() -> retention(unreachable).runOnce()).isInstanceOf(ReplicationException.class)
                    .hasMessageContaining("ZooKeeper 'master'");
        }
        jobs.forEach(this::assertKept);
    }

    @Test
    void regionWithoutZooKeeperIsAConfigurationErrorNamingIt() {
        RegionConfig noZk = new RegionConfig("eu-west", bed.regions.get("east").config(), null);
        assertThatThrownBy(() -> ZooKeeperBuildsInUse.open(null, List.of(noZk))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("region 'eu-west' has no zooKeeper");
    }

    @Test
    void jobFolderHoldsEveryAttempt() {
        assertThat(RetentionService.jobFolder("builds/" + "a".repeat(40) + "/17/2/artifact")).isEqualTo("builds/" + "a".repeat(40) + "/17/");
    }
}
