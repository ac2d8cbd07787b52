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
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several replicators on one database share the work: every replica is copied exactly once. */
class ConcurrentReplicatorsTest {

    private EmbeddedS3 far;
    private ReplicationTestBed bed;

    @BeforeEach
    void setUp() {
        far = EmbeddedS3.start(EmbeddedServers.newFolder("far-s3"));
        bed = new ReplicationTestBed(far, "east", "west", "far");
    }

    @AfterEach
    void tearDown() {
        bed.close();
        far.close();
    }

    @Test
    void threeReplicatorsCopyEachReplicaOnce() {
        RecordingListener events = new RecordingListener();
        List<Replicator> replicators = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Replicator r = Replicator.builder(bed.database, bed.stores(), ReplicationTestBed.fastConfig().withParallelCopies(2, 1))
                    .listener(events).id("replicator-" + i).build();
            replicators.add(r);
        }
        replicators.forEach(Replicator::start);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(bed.builds.completed(40_000 + i));
        }
        jobs.add(bed.builds.completed((int) (ReplicationTestBed.PART * 2 + 7)));
        try {
            DeployGate gate = new DeployGate(bed.database, bed.regions.keySet());
            await().atMost(Duration.ofSeconds(60)).until(() -> jobs.stream().allMatch(j -> gate.isDeployable(j.id())));

            Map<String, Long> copiesPerArtifact = events.startingWith("copied").stream()
                    .filter(e -> e.contains("/artifact "))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(copiesPerArtifact).hasSize(jobs.size() * 3).allSatisfy((event, count) -> assertThat(count).as(event).isEqualTo(1));
            long completed = replicators.stream().mapToLong(r -> r.regions().stream().mapToLong(g -> r.metrics().copies(g, "completed")).sum()).sum();
            assertThat(completed).isEqualTo(jobs.size() * 3L);
            for (Job job : jobs) {
                for (String region : bed.regions.keySet()) {
                    assertThat(bed.builds.replica(job, region).attempts()).isEqualTo(1);
                }
            }
        } finally {
            replicators.forEach(Replicator::close);
        }
    }
}
