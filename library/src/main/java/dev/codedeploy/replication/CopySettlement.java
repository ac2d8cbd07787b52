package dev.codedeploy.replication;

import dev.codedeploy.blob.BlobStoreException;
import dev.codedeploy.replication.copy.SourceMissingException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes how a copy ended, fenced by its lease: COMPLETED; FAILED with its error and the wait before the next try (a
 * doubling backoff, the longest for a missing source); or, when the replicator is closing, given back due at once.
 */
final class CopySettlement {

    private static final Logger log = LoggerFactory.getLogger(CopySettlement.class);

    private final String replicator;
    private final ReplicationConfig config;
    private final ReplicaTable table;
    private final RegionHealth health;
    private final ReplicationMetrics metrics;
    private final ReplicationListener listener;
    private final BooleanSupplier running;

    CopySettlement(String replicator, ReplicationConfig config, ReplicaTable table, RegionHealth health, ReplicationMetrics metrics,
                   ReplicationListener listener, BooleanSupplier running) {
        this.replicator = replicator;
        this.config = config;
        this.table = table;
        this.health = health;
        this.metrics = metrics;
        this.listener = listener;
        this.running = running;
    }

    void succeeded(RunningCopy copy) {
        ReplicaWork work = copy.work();
        try {
            if (table.complete(copy.lease(), work.artifactSize())) {
                metrics.copy(work.region(), "completed");
                log.info("replicator {}: build {} is in region {}, verified", replicator, work.jobId(), work.region());
                listener.replicaCompleted(key(work));
            } else {
                metrics.copy(work.region(), "lost");
                log.warn("replicator {}: build {} in region {} was taken over before it could be marked COMPLETED", replicator,
                        work.jobId(), work.region());
            }
        } catch (RuntimeException e) {
            log.warn("replicator {}: could not mark build {} COMPLETED in region {}; its lease runs out and the next owner finds it"
                    + " there: {}", replicator, work.jobId(), work.region(), e.getMessage());
        }
    }

    void failed(RunningCopy copy, Throwable t) {
        ReplicaWork work = copy.work();
        try {
            if (copy.isLost() || t instanceof ReplicaLeaseLostException) {
                metrics.copy(work.region(), "lost");
                log.warn("replicator {}: {}", replicator, t.getMessage());
            } else if (!running.getAsBoolean()) {
                table.release(copy.lease(), "replicator " + replicator + " stopped during the copy; the next replicator resumes it");
            } else {
                String error = t instanceof ReplicationException || t instanceof BlobStoreException ? t.getMessage() : t.toString();
                Duration delay;
                if (t instanceof SourceMissingException) {
                    delay = config.maxRetryBackoff();
                } else {
                    delay = backoff(work.attempts());
                    if (!health.reachable(work.region())) {
                        health.markDown(work.region(), error);
                        error = "region " + work.region() + " is down: " + error;
                    }
                }
                table.fail(copy.lease(), error, delay);
                metrics.copy(work.region(), "failed");
                log.warn("replicator {}: build {} to region {} failed (attempt {}), next try in {}: {}", replicator, work.jobId(),
                        work.region(), work.attempts(), delay, error);
                listener.replicaFailed(key(work), error);
            }
        } catch (RuntimeException e) {
            log.warn("replicator {}: could not record the outcome of build {} in region {}; its lease runs out and it is retried: {}",
                    replicator, work.jobId(), work.region(), e.getMessage());
        }
    }

    /** The wait after the {@code attempts}-th failure: doubling from retryBackoff up to maxRetryBackoff, with 20 % jitter. */
    Duration backoff(int attempts) {
        long base = config.retryBackoff().toMillis();
        long max = config.maxRetryBackoff().toMillis();
        long millis = Math.min(base << Math.min(Math.max(attempts - 1, 0), 20), max);
        long jitter = millis / 5;
        return Duration.ofMillis(Math.min(max, millis - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1)));
    }

    private static ReplicaKey key(ReplicaWork work) {
        return new ReplicaKey(work.jobId(), work.region());
    }
}
