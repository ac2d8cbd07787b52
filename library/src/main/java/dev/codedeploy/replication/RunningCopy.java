package dev.codedeploy.replication;

import dev.codedeploy.replication.copy.CopyControl;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** One copy in progress in this replicator: its lease, its progress, and whether it must stop. */
final class RunningCopy implements CopyControl {

    private final ReplicaWork work;
    private final ReplicaTable table;
    private final BooleanSupplier replicatorRunning;
    private final AtomicLong bytes = new AtomicLong();
    private volatile long lastHeartbeatNanos = System.nanoTime();
    private volatile String lostBecause;
    private volatile Thread thread;

    RunningCopy(ReplicaWork work, ReplicaTable table, BooleanSupplier replicatorRunning) {
        this.work = work;
        this.table = table;
        this.replicatorRunning = replicatorRunning;
    }

    ReplicaWork work() {
        return work;
    }

    ReplicaLease lease() {
        return work.lease();
    }

    long bytes() {
        return bytes.get();
    }

    /** Called on the copy's thread when it starts. */
    void attach(Thread t) {
        this.thread = t;
    }

    void heartbeatSucceeded() {
        lastHeartbeatNanos = System.nanoTime();
    }

    long nanosSinceHeartbeat() {
        return System.nanoTime() - lastHeartbeatNanos;
    }

    /**
     * The lease is gone: the copy stops at its next check (between parts). Its thread is not interrupted, as it may
     * copy the same build to other regions too.
     */
    void lose(String why) {
        lostBecause = why;
    }

    boolean isLost() {
        return lostBecause != null;
    }

    /** Interrupts the copy because the replicator is closing. */
    void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void checkOwned() {
        if (lostBecause != null) {
            throw new ReplicaLeaseLostException(lease(), "going on (" + lostBecause + ")");
        }
        if (!replicatorRunning.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new ReplicationException("the copy of build " + work.jobId() + " to region " + work.region() + " was stopped");
        }
    }

    @Override
    public void uploadStarted(String uploadId) {
        if (!table.recordUpload(lease(), uploadId)) {
            throw new ReplicaLeaseLostException(lease(), "recording upload " + uploadId);
        }
    }

    @Override
    public void progress(long delta) {
        bytes.addAndGet(delta);
    }
}
