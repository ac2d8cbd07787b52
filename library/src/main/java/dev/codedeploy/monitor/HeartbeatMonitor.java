package dev.codedeploy.monitor;

import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.StaleJobs;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts RUNNING jobs whose heartbeat is older than twice the heartbeat interval back in the queue, or marks them
 * FAILED when they used all their attempts. One conditional UPDATE on the database clock per check, so any number
 * of monitors may run at once and none needs a leader.
 *
 * <p>When the database cannot be reached, a check logs the error and the next one tries again.
 */
public final class HeartbeatMonitor extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatMonitor.class);

    private final JobQueue queue;
    private final Duration heartbeatInterval;
    private final Duration checkInterval;
    private ScheduledExecutorService scheduler;

    /**
     * A monitor of {@code queue}.
     *
     * @param heartbeatInterval the workers' heartbeat interval; a job is stale after twice that
     * @param checkInterval     how often to check
     */
    public HeartbeatMonitor(JobQueue queue, Duration heartbeatInterval, Duration checkInterval) {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat and check intervals must be positive, got " + heartbeatInterval + " and " + checkInterval);
        }
        this.queue = queue;
        this.heartbeatInterval = heartbeatInterval;
        this.checkInterval = checkInterval;
    }

    /** The age past which a RUNNING job's heartbeat is stale: twice the interval. */
    public Duration staleAfter() {
        return heartbeatInterval.multipliedBy(2);
    }

    /**
     * Runs one check now.
     *
     * @return how many jobs it moved
     */
    public int checkOnce() {
        StaleJobs moved = queue.requeueStale(staleAfter().toNanos() / 1000);
        if (moved.total() > 0) {
            log.warn("{} RUNNING job(s) had no heartbeat for {}: {}", moved.total(), staleAfter(), moved);
        }
        return moved.total();
    }

    @Override
    protected void doStart() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-monitor");
            t.setDaemon(true);
            return t;
        });
        long period = checkInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::checkSafely, period, period, TimeUnit.MILLISECONDS);
        log.info("heartbeat monitor started: stale after {}, checking every {}", staleAfter(), checkInterval);
    }

    private void checkSafely() {
        try {
            checkOnce();
        } catch (RuntimeException e) {
            log.warn("heartbeat check failed, trying again in {}: {}", checkInterval, e.getMessage());
        }
    }

    @Override
    protected void doClose() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
