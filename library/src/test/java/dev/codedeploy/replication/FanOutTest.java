package dev.codedeploy.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.queue.Job;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Regions streamed to share one read of the master, and fail alone. */
class FanOutTest {

    private EmbeddedS3 far;
    private EmbeddedS3 away;
    private ReplicationTestBed bed;

    @BeforeEach
    void setUp() {
        far = EmbeddedS3.start(EmbeddedServers.newFolder("far-s3"));
        away = EmbeddedS3.start(EmbeddedServers.newFolder("away-s3"));
        bed = new ReplicationTestBed(Map.of("far", far, "away", away), "far", "away");
    }

    @AfterEach
    void tearDown() {
        bed.close();
        far.close();
        away.close();
    }

    private ReplicaStatus status(Job job, String region) {
        Replica row = bed.builds.replica(job, region);
        return row == null ? null : row.status();
    }

    @Test
    void regionThatFailsMidCopyDropsOutAndTheOtherCompletes() throws Exception {
        CountDownLatch awayGotAPart = new CountDownLatch(1);
        RecordingListener events = new RecordingListener() {
            @Override
            public void partCopied(ReplicaKey replica, String key, int partNumber, long bytes) {
                super.partCopied(replica, key, partNumber, bytes);
                if (replica.region().equals("away")) {
                    awayGotAPart.countDown();
                }
            }
        };
        Job job = bed.builds.completed((int) (4 * ReplicationTestBed.PART + 99));
        Replicator replicator = bed.replicator(ReplicationTestBed.fastConfig(), events);
        replicator.start();
        assertThat(awayGotAPart.await(30, TimeUnit.SECONDS)).isTrue();
        away.stop();

        await().atMost(Duration.ofSeconds(30)).until(() -> status(job, "far") == ReplicaStatus.COMPLETED);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(job, "away") == ReplicaStatus.FAILED);
        ReplicatorTest.assertHolds(bed.regions.get("far"), job);
        assertThat(bed.builds.replica(job, "away").error()).contains("region away is down");
        assertThat(bed.builds.replica(job, "away").uploadId()).as("kept for the resume").isNotNull();

        away.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(job, "away") == ReplicaStatus.COMPLETED);
        ReplicatorTest.assertHolds(bed.regions.get("away"), job);
        assertThat(events.startingWith("part far")).hasSize(5);
        assertThat(events.startingWith("copied far " + job.artifactKey() + " STREAMED")).hasSize(1);
    }

    @Test
    void bothRegionsGetEveryPartOnceFromOneCopy() {
        RecordingListener events = new RecordingListener();
        Job job = bed.builds.completed((int) (2 * ReplicationTestBed.PART + 5));
        bed.replicator(ReplicationTestBed.fastConfig(), events).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(job, "far") == ReplicaStatus.COMPLETED
                && status(job, "away") == ReplicaStatus.COMPLETED);
        assertThat(events.startingWith("part far")).hasSize(3);
        assertThat(events.startingWith("part away")).hasSize(3);
        assertThat(bed.builds.replica(job, "far").attempts()).isEqualTo(1);
        assertThat(bed.builds.replica(job, "away").attempts()).isEqualTo(1);
        ReplicatorTest.assertHolds(bed.regions.get("far"), job);
        ReplicatorTest.assertHolds(bed.regions.get("away"), job);
    }
}
