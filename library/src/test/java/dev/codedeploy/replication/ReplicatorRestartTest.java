package dev.codedeploy.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.queue.Job;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A replicator stopped or dead in the middle of a multipart copy: the next one resumes it and copies no part twice. */
class ReplicatorRestartTest {

    private static EmbeddedS3 far;
    private ReplicationTestBed bed;
    private Job job;

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
        bed = new ReplicationTestBed(far, "far");
        job = bed.builds.completed((int) (3 * ReplicationTestBed.PART + 4321));
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private void awaitCompleted() {
        await().atMost(Duration.ofSeconds(30)).until(() -> bed.builds.replica(job, "far").status() == ReplicaStatus.COMPLETED);
    }

    @Test
    void replicatorClosedMidCopyGivesTheCopyBackAndTheNextOneResumesIt() throws Exception {
        CountDownLatch atPartTwo = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        RecordingListener first = new RecordingListener() {
            @Override
            public void partCopied(ReplicaKey replica, String key, int partNumber, long bytes) {
                super.partCopied(replica, key, partNumber, bytes);
                if (partNumber == 2) {
                    atPartTwo.countDown();
                    try {
                        never.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("stopped", e);
                    }
                }
            }
        };
        Replicator one = bed.replicator(ReplicationTestBed.fastConfig(), first);
        one.start();
        assertThat(atPartTwo.await(30, TimeUnit.SECONDS)).isTrue();
        one.close();

        Replica given = bed.builds.replica(job, "far");
        assertThat(given.status()).isEqualTo(ReplicaStatus.PENDING);
        assertThat(given.uploadId()).isNotNull();
        assertThat(given.error()).contains("stopped during the copy");
        assertThat(bed.regions.get("far").head(job.artifactKey())).as("no half object is visible").isEmpty();
        assertThat(first.startingWith("part far")).hasSize(2);

        RecordingListener second = new RecordingListener();
        bed.replicator(ReplicationTestBed.fastConfig(), second).start();
        awaitCompleted();
        assertThat(second.startingWith("part far")).containsExactly(
                "part far " + job.artifactKey() + " 3", "part far " + job.artifactKey() + " 4");
        ReplicatorTest.assertHolds(bed.regions.get("far"), job);
        assertThat(bed.builds.replica(job, "far").attempts()).isEqualTo(2);
    }

    @Test
    void copyOfADeadReplicatorIsTakenOverAfterItsLeaseAndItsFencedWritesFail() {
        S3BlobStore region = bed.regions.get("far");
        String key = job.artifactKey();
        String uploadId = region.startMultipart(key, Map.of());
        byte[] whole = bed.master.getBytes(key);
        for (int part = 1; part <= 2; part++) {
            int offset = (int) ((part - 1) * ReplicationTestBed.PART);
            byte[] bytes = Arrays.copyOfRange(whole, offset, offset + (int) ReplicationTestBed.PART);
            region.putPart(key, uploadId, part, bytes, bytes.length);
        }
        // a replicator claimed the copy, sent two parts and died: its lease ran out a second ago
        bed.builds.sql("INSERT INTO build_replicas (job_id, region, status, attempts, owner, upload_id, started_at, heartbeat_at, due_at)"
                + " VALUES (?, 'far', 'RUNNING', 1, 'dead-replicator', ?, NOW(6) - INTERVAL 5 SECOND, NOW(6) - INTERVAL 2 SECOND,"
                + " NOW(6) - INTERVAL 1 SECOND)", job.id(), uploadId);

        RecordingListener events = new RecordingListener();
        Replicator replicator = bed.replicator(ReplicationTestBed.fastConfig(), events);
        replicator.start();
        awaitCompleted();

        assertThat(events.startingWith("part far")).containsExactly("part far " + key + " 3", "part far " + key + " 4");
        Replica row = bed.builds.replica(job, "far");
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.owner()).isEqualTo(replicator.id());
        ReplicatorTest.assertHolds(region, job);
        ReplicaTable table = new ReplicaTable(bed.database);
        ReplicaLease dead = new ReplicaLease(job.id(), "far", 1, "dead-replicator");
        assertThat(table.heartbeat(dead, 0, Duration.ofSeconds(1))).isFalse();
        assertThat(table.complete(dead, 0)).isFalse();
        assertThat(table.fail(dead, "late", Duration.ZERO)).isFalse();
        assertThat(bed.builds.replica(job, "far").status()).isEqualTo(ReplicaStatus.COMPLETED);
    }
}
