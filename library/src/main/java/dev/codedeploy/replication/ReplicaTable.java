package dev.codedeploy.replication;

import dev.codedeploy.database.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicator's transactions on {@code build_replicas}: claim with {@code FOR UPDATE SKIP LOCKED}, so any number of
 * replicators share the work without a leader, then fenced heartbeats and outcomes. Thread-safe.
 */
public final class ReplicaTable {

    private static final int MAX_ERROR_LENGTH = 8_000;

    private final Database database;

    ReplicaTable(Database database) {
        this.database = database.addMapper(ReplicaMapper.class);
    }

    /**
     * Claims up to {@code limit} due rows of {@code region} for {@code owner}: they become RUNNING with their attempts
     * bumped and a lease of {@code lease}.
     */
    List<ReplicaWork> claim(String region, int limit, String owner, Duration lease) {
        long leaseMicros = micros(lease);
        return database.inTransaction(ReplicaMapper.class, m -> {
            List<ReplicaWork> claimed = new ArrayList<>();
            for (ReplicaKey key : m.lockDue(List.of(region), limit)) {
                if (m.markRunning(key, owner, leaseMicros) == 1) {
                    claimed.add(m.findWork(key));
                }
            }
            return claimed;
        });
    }

    /** Renews a lease; false when it was lost. */
    boolean heartbeat(ReplicaLease lease, long bytesCopied, Duration leaseTime) {
        return database.inTransaction(ReplicaMapper.class, m -> m.heartbeat(lease, bytesCopied, micros(leaseTime))) == 1;
    }

    /** Records the multipart upload in progress; false when the lease was lost. */
    boolean recordUpload(ReplicaLease lease, String uploadId) {
        return database.inTransaction(ReplicaMapper.class, m -> m.recordUpload(lease, uploadId)) == 1;
    }

    /** Marks the copy COMPLETED; false when the lease was lost. */
    boolean complete(ReplicaLease lease, long bytes) {
        return database.inTransaction(ReplicaMapper.class, m -> m.complete(lease, bytes)) == 1;
    }

    /** Marks the copy FAILED, to be tried again after {@code delay}; false when the lease was lost. */
    boolean fail(ReplicaLease lease, String error, Duration delay) {
        return database.inTransaction(ReplicaMapper.class, m -> m.fail(lease, truncate(error), micros(delay))) == 1;
    }

    /** Gives the copy back, due at once; false when the lease was lost. */
    boolean release(ReplicaLease lease, String reason) {
        return database.inTransaction(ReplicaMapper.class, m -> m.release(lease, truncate(reason))) == 1;
    }

    /** Makes a region's FAILED rows due now (the region came back). */
    int retryNow(String region) {
        return database.inTransaction(ReplicaMapper.class, m -> m.retryNow(region));
    }

    /** COMPLETED rows due for an audit, each taken so that no other auditor reads the same one. */
    List<ReplicaWork> takeAudits(List<String> regions, Duration interval, Duration lookback, int limit) {
        long age = micros(interval);
        return database.inTransaction(ReplicaMapper.class, m -> {
            List<ReplicaWork> taken = new ArrayList<>();
            for (ReplicaWork w : m.findAuditDue(regions, age, micros(lookback), limit)) {
                if (m.takeAudit(w.jobId(), w.region(), age) == 1) {
                    taken.add(w);
                }
            }
            return taken;
        });
    }

    /** A COMPLETED row whose bytes were found bad: PENDING again, due at once. */
    boolean reopen(ReplicaKey key, String error) {
        return database.inTransaction(ReplicaMapper.class, m -> m.reopen(key.jobId(), key.region(), truncate(error))) == 1;
    }

    /** The lag of every region with rows not COMPLETED. */
    List<RegionLag> lag() {
        return database.inTransaction(ReplicaMapper.class, ReplicaMapper::lag);
    }

    /** {@code d} in microseconds, for {@code INTERVAL ... MICROSECOND} on the database clock. */
    public static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    /** {@code error} cut to what an {@code error} column keeps. */
    public static String truncate(String error) {
        if (error == null) {
            return null;
        }
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH) + "...";
    }
}
