package dev.codedeploy.queue;

/** What a heartbeat learned about the worker's lease. */
public enum HeartbeatResult {
    /** The lease holds; go on. */
    ALIVE,
    /** The lease holds but somebody cancelled the job: stop the build and mark it CANCELLED. */
    CANCEL_REQUESTED,
    /** The job is no longer ours: kill the build and drop the work without writing anything. */
    LEASE_LOST
}
