package dev.codedeploy.replication;

import dev.codedeploy.replication.gate.DeployGate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.queue.Job;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a region gets when it is added later, and what the master store scan finds. */
class BackfillTest {

    private EmbeddedS3 far;
    private ReplicationTestBed bed;

    @BeforeEach
    void setUp() {
        far = EmbeddedS3.start(EmbeddedServers.newFolder("far-s3"));
        bed = new ReplicationTestBed(far, "east", "west");
    }

    @AfterEach
    void tearDown() {
        bed.close();
        far.close();
    }

    private boolean completed(Job job, String region) {
        Replica row = bed.builds.replica(job, region);
        return row != null && row.status() == ReplicaStatus.COMPLETED;
    }

    @Test
    void regionAddedLaterGetsOnlyTheBuildsThatCanStillBeDeployedThenEveryNewOne() {
        ReplicationConfig config = ReplicationTestBed.fastConfig().withKeepPerEnvironment(2);
        Replicator eastOnly = bed.replicator(config, ReplicationListener.NONE, bed.stores("east"));
        eastOnly.start();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(bed.builds.completed(20_000 + i));
        }
        bed.builds.deployed(jobs.get(0), "production");
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.stream().allMatch(j -> completed(j, "east")));
        eastOnly.close();

        // west joins: the last 2 deployed to each environment (job 0) and the last 2 of the repository (jobs 3, 4)
        Replicator both = bed.replicator(config, ReplicationListener.NONE, bed.stores("east", "west"));
        both.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> completed(jobs.get(0), "west") && completed(jobs.get(3), "west")
                && completed(jobs.get(4), "west"));
        assertThat(bed.builds.replica(jobs.get(1), "west")).isNull();
        assertThat(bed.builds.replica(jobs.get(2), "west")).isNull();
        DeployGate gate = new DeployGate(bed.database, bed.regions.keySet());
        assertThat(gate.isDeployable(jobs.get(4).id())).isTrue();
        assertThat(gate.isDeployable(jobs.get(1).id())).isFalse();

        Job next = bed.builds.completed(30_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> completed(next, "west") && completed(next, "east"));
        assertThat(bed.builds.replica(jobs.get(1), "west")).as("not backfilled later either").isNull();
    }

    @Test
    void masterStoreScanFindsBuildsBeyondThePlannersLookBack() {
        Job old = bed.builds.completed(10_000);
        Job newer = bed.builds.completed(10_001);
        // the regions have been around for a day; the old build completed an hour ago, beyond a one-minute look-back,
        // and it is not among the last build of its repository
        bed.builds.sql("INSERT INTO replication_regions (name, added_at) VALUES ('east', NOW(6) - INTERVAL 1 DAY),"
                + " ('west', NOW(6) - INTERVAL 1 DAY)");
        bed.builds.sql("UPDATE jobs SET finished_at = NOW(6) - INTERVAL 1 HOUR WHERE id = ?", old.id());

        MasterStoreScanner scanner = new MasterStoreScanner(bed.master);
        assertThat(scanner.newBuilds()).containsExactlyInAnyOrder(old.id(), newer.id());
        assertThat(scanner.newBuilds()).isEmpty();

        ReplicationConfig config = ReplicationTestBed.fastConfig().withKeepPerEnvironment(1).withLookback(Duration.ofMinutes(1))
                .withMasterScanInterval(Duration.ofMillis(200));
        bed.replicator(config, ReplicationListener.NONE).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> completed(old, "east") && completed(old, "west") && completed(newer, "west"));
    }
}
