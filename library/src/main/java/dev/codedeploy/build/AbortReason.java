package dev.codedeploy.build;

/** Why a running build was stopped from outside its own thread. */
enum AbortReason {
    /** Somebody cancelled the job: upload the log, mark it CANCELLED. */
    CANCELLED,
    /** The lease is gone (requeued, claimed again, or the database unreachable past the lease): write nothing. */
    LEASE_LOST,
    /** The worker pool is closing: give the job back to the queue. */
    SHUTDOWN
}
