package dev.codedeploy.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.database.Database;
import dev.codedeploy.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobQueueTest {

    static final String REPO = "git://127.0.0.1:1/repo";

    private Database database;
    private JobQueue queue;

    @BeforeEach
    void setUp() {
        database = TestServers.newDatabase(4);
        queue = new JobQueue(database, new QueueConfig(2));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    static String sha(int n) {
        return String.format("%040x", n);
    }

    @Test
    void enqueuedJobIsQueuedWithDatabaseTimes() {
        Job job = queue.enqueue(REPO, sha(1), "alice");
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempt()).isZero();
        assertThat(job.maxAttempts()).isEqualTo(2);
        assertThat(job.createdAt()).isNotNull();
        assertThat(job.requestedBy()).isEqualTo("alice");
    }

    @Test
    void badInputStoresNothing() {
        queue.enqueue(REPO, sha(1), "alice");
        assertThatThrownBy(() -> queue.enqueue(REPO, "abc", "alice")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> queue.enqueue("ftp://x/y", sha(2), "alice")).isInstanceOf(InvalidInputException.class);
        assertThat(queue.findRecent(PageRequest.first(10))).hasSize(1);
    }

    @Test
    void claimsOldestFirstAndBumpsTheAttempt() {
        Job first = queue.enqueue(REPO, sha(1), "a");
        Job second = queue.enqueue(REPO, sha(2), "a");
        Job claimed = queue.claim("w1").orElseThrow();
        assertThat(claimed.id()).isEqualTo(first.id());
        assertThat(claimed.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.workerId()).isEqualTo("w1");
        assertThat(claimed.lastHeartbeat()).isNotNull();
        assertThat(queue.claim("w2").orElseThrow().id()).isEqualTo(second.id());
        assertThat(queue.claim("w3")).isEmpty();
    }

    @Test
    void requeuedJobKeepsItsPlaceAtTheHead() {
        Job first = queue.enqueue(REPO, sha(1), "a");
        queue.enqueue(REPO, sha(2), "a");
        Job claimed = queue.claim("w1").orElseThrow();
        queue.retryLater(claimed.lease(), "blob store down", null);
        Job again = queue.claim("w2").orElseThrow();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.attempt()).isEqualTo(2);
    }

    @Test
    void writesOfAStaleAttemptAreRejected() {
        queue.enqueue(REPO, sha(1), "a");
        Job firstAttempt = queue.claim("w1").orElseThrow();
        queue.retryLater(firstAttempt.lease(), "simulated requeue", null);
        Job secondAttempt = queue.claim("w2").orElseThrow();

        Lease stale = firstAttempt.lease();
        assertThat(queue.heartbeat(stale)).isEqualTo(HeartbeatResult.LEASE_LOST);
        StoredArtifact artifact = new StoredArtifact("k", 1, "0".repeat(64), "t", "m", "l");
        assertThatThrownBy(() -> queue.complete(stale, artifact)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> queue.fail(stale, "x", null)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> queue.markCancelled(stale, null)).isInstanceOf(LeaseLostException.class);

        assertThat(queue.heartbeat(secondAttempt.lease())).isEqualTo(HeartbeatResult.ALIVE);
        queue.complete(secondAttempt.lease(), artifact);
        Job done = queue.find(secondAttempt.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.artifactKey()).isEqualTo("k");
        assertThat(done.finishedAt()).isNotNull();
    }

    @Test
    void retryLaterFailsTheJobWhenItHasNoAttemptsLeft() {
        queue.enqueue(REPO, sha(1), "a");
        queue.retryLater(queue.claim("w1").orElseThrow().lease(), "down", null);
        Job last = queue.claim("w1").orElseThrow();
        queue.retryLater(last.lease(), "still down", null);
        Job job = queue.find(last.id()).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).isEqualTo("still down");
    }

    @Test
    void cancellingAQueuedJobIsImmediate() {
        Job job = queue.enqueue(REPO, sha(1), "a");
        assertThat(queue.cancel(job.id(), "bob")).isEqualTo(CancelResult.CANCELLED);
        Job cancelled = queue.find(job.id()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.cancelledBy()).isEqualTo("bob");
        assertThat(queue.claim("w1")).isEmpty();
        assertThat(queue.cancel(job.id(), "bob")).isEqualTo(CancelResult.ALREADY_FINISHED);
        assertThat(queue.cancel(999_999, "bob")).isEqualTo(CancelResult.NOT_FOUND);
    }

    @Test
    void cancellingARunningJobIsSeenAtTheNextHeartbeatAndBlocksCompletion() {
        queue.enqueue(REPO, sha(1), "a");
        Job running = queue.claim("w1").orElseThrow();
        assertThat(queue.cancel(running.id(), "bob")).isEqualTo(CancelResult.CANCEL_REQUESTED);
        assertThat(queue.find(running.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(queue.heartbeat(running.lease())).isEqualTo(HeartbeatResult.CANCEL_REQUESTED);
        StoredArtifact artifact = new StoredArtifact("k", 1, "0".repeat(64), "t", "m", "l");
        assertThatThrownBy(() -> queue.complete(running.lease(), artifact)).isInstanceOf(LeaseLostException.class);
        queue.markCancelled(running.lease(), "log");
        Job cancelled = queue.find(running.id()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.error()).contains("cancelled by bob while running");
    }

    @Test
    void staleRunningJobsAreRequeuedThenFailedWhenOutOfAttempts() throws Exception {
        Job job = queue.enqueue(REPO, sha(1), "a");
        queue.claim("w1").orElseThrow();
        ageHeartbeat(job.id(), 60);
        assertThat(queue.requeueStale(30_000_000).total()).isEqualTo(1);
        Job requeued = queue.find(job.id()).orElseThrow();
        assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(requeued.workerId()).isNull();
        assertThat(requeued.error()).contains("requeued: worker w1 stopped heartbeating").contains("attempt 1 of 2");

        queue.claim("w2").orElseThrow();
        ageHeartbeat(job.id(), 60);
        assertThat(queue.requeueStale(30_000_000).total()).isEqualTo(1);
        Job failed = queue.find(job.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).contains("worker w2 stopped heartbeating").contains("no attempts left");
        assertThat(failed.requeues()).as("failing is not a requeue").isEqualTo(1);
    }

    @Test
    void aRequeuedJobThatThenCompletesKeepsItsRequeueHistory() throws Exception {
        Job job = queue.enqueue(REPO, sha(1), "a");
        Job other = queue.enqueue(REPO, sha(2), "a");
        queue.claim("w1").orElseThrow();
        queue.claim("w1").orElseThrow();
        ageHeartbeat(job.id(), 60);

        StaleJobs moved = queue.requeueStale(30_000_000);

        assertThat(moved.requeued()).containsExactly(job.id());
        assertThat(moved.toString()).isEqualTo("requeued [" + job.id() + "]");
        assertThat(queue.find(other.id()).orElseThrow().requeues()).isZero();
        Job again = queue.claim("w2").orElseThrow();
        queue.complete(again.lease(), new StoredArtifact("k", 1, "0".repeat(64), "t", "m", "l"));
        Job completed = queue.find(job.id()).orElseThrow();
        assertThat(completed.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(completed.error()).isNull();
        assertThat(completed.requeues()).isEqualTo(1);
        assertThat(completed.lastRequeueReason()).contains("requeued: worker w1 stopped heartbeating").contains("attempt 1 of 2");
        assertThat(completed.lastRequeuedAt()).isNotNull();
    }

    @Test
    void aJobGivenBackToRetryLaterCountsAsRequeued() {
        queue.enqueue(REPO, sha(1), "a");
        Job running = queue.claim("w1").orElseThrow();

        queue.retryLater(running.lease(), "master blob store unreachable", null);

        Job requeued = queue.find(running.id()).orElseThrow();
        assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(requeued.requeues()).isEqualTo(1);
        assertThat(requeued.lastRequeueReason()).isEqualTo("master blob store unreachable");
    }

    @Test
    void freshHeartbeatsAreLeftAlone() {
        queue.enqueue(REPO, sha(1), "a");
        queue.claim("w1").orElseThrow();
        assertThat(queue.requeueStale(30_000_000).total()).isZero();
    }

    @Test
    void staleJobWithAPendingCancelBecomesCancelled() throws Exception {
        Job job = queue.enqueue(REPO, sha(1), "a");
        queue.claim("w1").orElseThrow();
        queue.cancel(job.id(), "bob");
        ageHeartbeat(job.id(), 60);
        queue.requeueStale(30_000_000);
        assertThat(queue.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void historyIsNewestFirstAndPaged() {
        for (int i = 1; i <= 5; i++) {
            queue.enqueue(REPO, sha(i % 2), "a");
        }
        List<Job> page0 = queue.findRecent(new PageRequest(0, 2));
        List<Job> page1 = queue.findRecent(new PageRequest(1, 2));
        assertThat(page0).extracting(Job::id).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(page0.get(1).id()).isGreaterThan(page1.get(0).id());
        assertThat(queue.findBySha(sha(1), PageRequest.first(10))).hasSize(3).allMatch(j -> j.sha().equals(sha(1)));
        queue.cancel(page0.get(0).id(), "x");
        assertThat(queue.findByStatus(JobStatus.CANCELLED, PageRequest.first(10))).extracting(Job::id).containsExactly(page0.get(0).id());
        assertThat(queue.count(JobStatus.QUEUED)).isEqualTo(4);
    }

    private void ageHeartbeat(long jobId, int seconds) throws Exception {
        try (Connection c = database.connection();
             PreparedStatement s = c.prepareStatement("UPDATE jobs SET last_heartbeat = NOW(6) - INTERVAL ? SECOND WHERE id = ?")) {
            s.setInt(1, seconds);
            s.setLong(2, jobId);
            s.executeUpdate();
            c.commit();
        }
    }
}
