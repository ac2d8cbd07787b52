package dev.codedeploy.sandbox.cluster;

import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** Polls the queue until a job satisfies a condition, within a deadline (the sandbox has no Awaitility). */
public final class JobWatch {

    private JobWatch() {
    }

    /**
     * Waits until job {@code id} matches {@code condition}.
     *
     * @return the job as it was when it matched, or empty on timeout
     */
    public static Optional<Job> await(JobQueue queue, long id, Predicate<Job> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Job job = queue.find(id).orElseThrow(() -> new IllegalStateException("job " + id + " vanished"));
            if (condition.test(job)) {
                return Optional.of(job);
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** The pid in a worker id {@code host-pid-n}. */
    public static long pidOf(String workerId) {
        String[] parts = workerId.split("-");
        return Long.parseLong(parts[parts.length - 2]);
    }
}
