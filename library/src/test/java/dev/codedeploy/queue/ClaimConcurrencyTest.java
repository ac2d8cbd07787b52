package dev.codedeploy.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.database.Database;
import dev.codedeploy.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClaimConcurrencyTest {

    @Test
    void concurrentClaimersNeverShareAJobAndDrainTheQueue() throws Exception {
        int jobs = 400;
        int claimers = 16;
        try (Database database = TestServers.newDatabase(claimers + 2)) {
            JobQueue queue = new JobQueue(database, QueueConfig.DEFAULTS);
            for (int i = 0; i < jobs; i++) {
                queue.enqueue(JobQueueTest.REPO, JobQueueTest.sha(i), "bench");
            }
            Map<Long, String> owners = new ConcurrentHashMap<>();
            List<Long> duplicates = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(claimers);
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < claimers; c++) {
                String worker = "w" + c;
                results.add(pool.submit(() -> {
                    int mine = 0;
                    for (int round = 0; round < jobs; round++) {
                        var job = queue.claim(worker);
                        if (job.isEmpty()) {
                            break;
                        }
                        if (owners.putIfAbsent(job.get().id(), worker) != null) {
                            synchronized (duplicates) {
                                duplicates.add(job.get().id());
                            }
                        }
                        queue.complete(job.get().lease(), new StoredArtifact("k", 0, "0".repeat(64), "t", "m", "l"));
                        mine++;
                    }
                    return mine;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
            assertThat(duplicates).isEmpty();
            assertThat(total).isEqualTo(jobs);
            assertThat(owners).hasSize(jobs);
            assertThat(queue.count(JobStatus.COMPLETED)).isEqualTo(jobs);
            assertThat(owners.values().stream().distinct().count()).as("work spread over claimers").isGreaterThan(1);
        }
    }
}
