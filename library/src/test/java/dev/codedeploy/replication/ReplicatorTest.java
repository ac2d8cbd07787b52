package dev.codedeploy.replication;

import dev.codedeploy.replication.copy.ReadBack;
import dev.codedeploy.replication.gate.DeployGate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.queue.Job;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedServers;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicatorTest {

    private static EmbeddedS3 far;
    private ReplicationTestBed bed;

    @BeforeAll
    static void startFar() {
        far = EmbeddedS3.start(EmbeddedServers.newFolder("far-s3"));
    }

    @AfterAll
    static void stopFar() {
        far.close();
    }

    @BeforeEach
    void setUp() {
        far.restart();
        bed = new ReplicationTestBed(far, "east", "west", "far");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    static void assertHolds(BlobStore store, Job job) {
        ReadBack.Digest digest = ReadBack.of(store, job.artifactKey(), null);
        assertThat(digest.sha256()).isEqualTo(job.artifactSha256());
        assertThat(digest.size()).isEqualTo(job.artifactSize());
        BuildKeys keys = BuildKeys.ofArtifactKey(job.artifactKey());
        assertThat(store.head(keys.torrent())).isPresent();
        assertThat(store.head(keys.manifest())).isPresent();
    }

    private void awaitStatus(Job job, String region, ReplicaStatus status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Replica row = bed.builds.replica(job, region);
            assertThat(row).isNotNull();
            assertThat(row.status()).isEqualTo(status);
        });
    }

    @Test
    void copiesEveryObjectToEveryRegionServerSideOrStreamedAndOpensTheGate() {
        Job small = bed.builds.completed(300_000);
        Job large = bed.builds.completed((int) (3 * ReplicationTestBed.PART + 12345));
        DeployGate gate = new DeployGate(bed.database, bed.regions.keySet());
        assertThat(gate.isDeployable(small.id())).isFalse();

        RecordingListener events = new RecordingListener();
        bed.replicator(ReplicationTestBed.fastConfig(), events).start();

        for (String region : bed.regions.keySet()) {
            awaitStatus(small, region, ReplicaStatus.COMPLETED);
            awaitStatus(large, region, ReplicaStatus.COMPLETED);
            assertHolds(bed.regions.get(region), small);
            assertHolds(bed.regions.get(region), large);
        }
        assertThat(gate.isDeployable(small.id())).isTrue();
        assertThat(gate.isDeployable(large.id())).isTrue();
        assertThat(events.events).contains("copied east " + large.artifactKey() + " SERVER_SIDE",
                "copied far " + large.artifactKey() + " STREAMED", "copied west " + small.artifactKey() + " SERVER_SIDE");
        assertThat(events.startingWith("part far " + large.artifactKey())).hasSize(4);
        Replica row = bed.builds.replica(large, "far");
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.bytesCopied()).isEqualTo(large.artifactSize());
        assertThat(row.uploadId()).isNull();
        assertThat(row.verifiedAt()).isNotNull();
    }

    @Test
    void regionThatGoesDownStaysFailedWhileTheOthersCompleteThenCatchesUp() {
        Replicator replicator = bed.replicator(ReplicationTestBed.fastConfig(), ReplicationListener.NONE);
        replicator.start();
        far.stop();
        Job job = bed.builds.completed(200_000);
        DeployGate gate = new DeployGate(bed.database, bed.regions.keySet());
        ReplicationStatus status = new ReplicationStatus(bed.database, bed.regions.keySet());

        awaitStatus(job, "east", ReplicaStatus.COMPLETED);
        awaitStatus(job, "west", ReplicaStatus.COMPLETED);
        awaitStatus(job, "far", ReplicaStatus.FAILED);
        assertThat(bed.builds.replica(job, "far").error()).contains("region far is down");
        assertThat(replicator.downRegions()).containsExactly("far");
        assertThat(gate.isDeployable(job.id())).isFalse();
        RegionReplication farStatus = status.regions().stream().filter(r -> r.region().equals("far")).findFirst().orElseThrow();
        assertThat(farStatus.waiting()).isEqualTo(1);
        assertThat(farStatus.lastError()).contains("region far is down");
        await().atMost(Duration.ofSeconds(10)).until(() -> replicator.metrics().lagSeconds("far") > 0);

        far.restart();
        awaitStatus(job, "far", ReplicaStatus.COMPLETED);
        assertThat(gate.isDeployable(job.id())).isTrue();
        assertHolds(bed.regions.get("far"), job);
        await().atMost(Duration.ofSeconds(10)).until(() -> replicator.metrics().lagSeconds("far") == 0);
        assertThat(status.build(job.id())).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(ReplicaStatus.COMPLETED);
            assertThat(r.lagSeconds()).isPositive();
        });
    }

    @Test
    void missingSourceIsFailedWithAClearErrorAndRetriedWhenItReturns() throws Exception {
        Job job = bed.builds.completed(100_000);
        java.nio.file.Path saved = EmbeddedServers.newFolder("saved").resolve("artifact");
        bed.master.download(job.artifactKey(), saved);
        bed.master.delete(job.artifactKey());
        bed.replicator(ReplicationTestBed.fastConfig(), ReplicationListener.NONE).start();

        awaitStatus(job, "east", ReplicaStatus.FAILED);
        assertThat(bed.builds.replica(job, "east").error())
                .contains("source object " + job.artifactKey(), "missing from the master blob store");

        bed.master.put(job.artifactKey(), saved, java.util.Map.of());
        for (String region : bed.regions.keySet()) {
            awaitStatus(job, region, ReplicaStatus.COMPLETED);
        }
        assertThat(bed.builds.replica(job, "east").attempts()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void corruptMasterCopyIsFailedNamingTheMaster() {
        Job job = bed.builds.completed(120_000);
        bed.master.putBytes(job.artifactKey(), new byte[120_000], "application/octet-stream", java.util.Map.of());
        // long backoffs: no retry runs while the test looks at the regions
        bed.replicator(ReplicationTestBed.fastConfig().withTimes(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(30),
                Duration.ofMinutes(1)), ReplicationListener.NONE).start();
        awaitStatus(job, "far", ReplicaStatus.FAILED);
        assertThat(bed.builds.replica(job, "far").error()).contains("the master's copy is corrupt");
        awaitStatus(job, "east", ReplicaStatus.FAILED);
        assertThat(bed.builds.replica(job, "east").error()).contains("read back");
        assertThat(bed.regions.get("far").head(job.artifactKey())).isEmpty();
        assertThat(bed.regions.get("east").head(job.artifactKey())).as("the bad copy was deleted").isEmpty();
    }

    @Test
    void replicaAlreadyInTheRegionIsVerifiedNotCopiedAgain() throws Exception {
        Job job = bed.builds.completed(100_000);
        BuildKeys keys = BuildKeys.ofArtifactKey(job.artifactKey());
        java.nio.file.Path file = EmbeddedServers.newFolder("pre").resolve("artifact");
        bed.master.download(job.artifactKey(), file);
        bed.regions.get("far").put(keys.artifact(), file, java.util.Map.of());

        RecordingListener events = new RecordingListener();
        bed.replicator(ReplicationTestBed.fastConfig(), events).start();
        awaitStatus(job, "far", ReplicaStatus.COMPLETED);
        assertThat(events.events).contains("skipped far " + keys.artifact());
        assertThat(events.events).doesNotContain("copied far " + keys.artifact() + " STREAMED");
    }

    @Test
    void auditFindsACorruptReplicaDeletesItAndCopiesItAgain() {
        Job job = bed.builds.completed(150_000);
        RecordingListener events = new RecordingListener();
        Replicator replicator = bed.replicator(ReplicationTestBed.fastConfig().withAudit(Duration.ofMillis(100), 10), events);
        replicator.start();
        for (String region : bed.regions.keySet()) {
            awaitStatus(job, region, ReplicaStatus.COMPLETED);
        }
        byte[] other = new byte[150_000];
        bed.regions.get("west").putBytes(job.artifactKey(), other, "application/octet-stream", java.util.Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> replicator.metrics().mismatches("west") >= 1);
        assertThat(events.events).contains("mismatch west " + job.artifactKey());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(bed.builds.replica(job, "west").status()).isEqualTo(ReplicaStatus.COMPLETED);
            assertHolds(bed.regions.get("west"), job);
        });
        assertThat(replicator.metrics().mismatches("east")).isZero();
    }

    @Test
    void backoffDoublesUpToTheMaximumWithJitter() {
        ReplicationConfig config = ReplicationConfig.defaults().withTimes(null, null, Duration.ofSeconds(1), Duration.ofSeconds(30));
        Replicator replicator = bed.replicator(config, ReplicationListener.NONE);
        assertThat(replicator.backoff(1)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(replicator.backoff(3)).isBetween(Duration.ofMillis(3200), Duration.ofMillis(4800));
        assertThat(replicator.backoff(50)).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(30));
        // Set.of refuses duplicates, and two draws of the jitter may well be equal: count the distinct ones
        assertThat(java.util.stream.Stream.generate(() -> replicator.backoff(2)).limit(8).distinct().count()).isGreaterThan(1);
    }
}
