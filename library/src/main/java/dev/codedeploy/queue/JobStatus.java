package dev.codedeploy.queue;

/** Where a build job is. QUEUED and RUNNING are live; the other three are final. */
public enum JobStatus {
    /** Waiting for a worker, oldest first. */
    QUEUED,
    /** Claimed by a worker that heartbeats. */
    RUNNING,
    /** The build failed, or its workers kept dying until {@code max_attempts}. */
    FAILED,
    /** The artifact is stored in the master blob store and its checksum was read back. */
    COMPLETED,
    /** Cancelled before or while it ran. */
    CANCELLED;

    /** True for FAILED, COMPLETED and CANCELLED. */
    public boolean isFinal() {
        return this == FAILED || this == COMPLETED || this == CANCELLED;
    }
}
