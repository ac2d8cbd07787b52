package dev.codedeploy.replication;

/** Where the copy of one build in one region stands ({@code build_replicas.status}). */
public enum ReplicaStatus {
    /** Not copied yet, or to be copied again (after a checksum mismatch). */
    PENDING,
    /** A replicator is copying it. */
    RUNNING,
    /** Copied and verified in the region. */
    COMPLETED,
    /** The last attempt failed (see the error); it is retried after a backoff. */
    FAILED,
    /** Retention deleted the build; it is never copied again. */
    REMOVED
}
