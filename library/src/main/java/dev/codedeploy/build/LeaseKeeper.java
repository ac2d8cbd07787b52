package dev.codedeploy.build;

import dev.codedeploy.queue.HeartbeatResult;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.Lease;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats one running job on a scheduler thread, writing the current stage with it. A heartbeat that finds the
 * job cancelled or the lease lost aborts the build. When the database cannot be reached for longer than twice the
 * interval, the monitor will have requeued the job, so the worker gives it up too.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final JobQueue queue;
    private final Lease lease;
    private final Duration interval;
    private final Supplier<BuildStage> stage;
    private final Consumer<AbortReason> abort;
    private volatile long lastRenewed = System.nanoTime();
    private ScheduledFuture<?> task;

    LeaseKeeper(JobQueue queue, Lease lease, Duration interval, Supplier<BuildStage> stage, Consumer<AbortReason> abort) {
        this.queue = queue;
        this.lease = lease;
        this.interval = interval;
        this.stage = stage;
        this.abort = abort;
    }

    void start(ScheduledExecutorService scheduler) {
        long period = interval.toMillis();
        task = scheduler.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    /** Heartbeats now; called on each stage change too, so the stage is visible at once. */
    void beat() {
        try {
            HeartbeatResult result = queue.heartbeat(lease, stage.get().name());
            lastRenewed = System.nanoTime();
            switch (result) {
                case CANCEL_REQUESTED -> abort.accept(AbortReason.CANCELLED);
                case LEASE_LOST -> {
                    log.warn("job {} attempt {}: lease lost, stopping the build and dropping its work", lease.jobId(), lease.attempt());
                    abort.accept(AbortReason.LEASE_LOST);
                }
                case ALIVE -> { }
            }
        } catch (RuntimeException e) {
            long silent = System.nanoTime() - lastRenewed;
            if (silent > interval.multipliedBy(2).toNanos()) {
                log.warn("job {} attempt {}: no heartbeat reached the database for {} s ({}); giving the job up",
                        lease.jobId(), lease.attempt(), silent / 1_000_000_000, e.getMessage());
                abort.accept(AbortReason.LEASE_LOST);
            } else {
                log.warn("job {} attempt {}: heartbeat failed, will retry: {}", lease.jobId(), lease.attempt(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
