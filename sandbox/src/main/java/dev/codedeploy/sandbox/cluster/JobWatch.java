package dev.codedeploy.sandbox.cluster;

import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** Polls the queue until a job satisfies a condition, within a deadline. */
public final class JobWatch {

    private JobWatch() {
    }

    /**
     * Waits until job {@code id} matches {@code condition}.
     *
     * @return the job as it was when it matched, or empty on timeout
     */
    public static Optional<Job> await(JobQueue queue, long id, Predicate<Job> condition, Duration timeout) throws Exception {
        AtomicReference<Job> last = new AtomicReference<>();
        boolean matched = Wait.until(timeout, () -> {
            last.set(queue.find(id).orElseThrow(() -> new IllegalStateException("job " + id + " vanished")));
            return condition.test(last.get());
        });
        return matched ? Optional.of(last.get()) : Optional.empty();
    }

    /** The pid in a worker id {@code host-pid-n}. */
    public static long pidOf(String workerId) {
        String[] parts = workerId.split("-");
        return Long.parseLong(parts[parts.length - 2]);
    }
}
