package dev.codedeploy.replication;

import dev.codedeploy.replication.copy.CopyMethod;

/**
 * Hears what the replicator does, on its copy threads: progress displays, the sandbox, tests. Implementations must
 * be quick and thread-safe; an exception thrown here fails the copy.
 */
public interface ReplicationListener {

    /** Hears nothing. */
    ReplicationListener NONE = new ReplicationListener() {
    };

    /** A part of a multipart copy of {@code key} reached the region. */
    default void partCopied(ReplicaKey replica, String key, int partNumber, long bytes) {
    }

    /** {@code key} was copied to the region and read back. */
    default void objectCopied(ReplicaKey replica, String key, CopyMethod method, long bytes) {
    }

    /** {@code key} was already in the region with the right bytes: nothing was copied. */
    default void objectSkipped(ReplicaKey replica, String key) {
    }

    /** The bytes of {@code key} in the region did not match; they were deleted. */
    default void mismatchDetected(ReplicaKey replica, String key, String detail) {
    }

    /** Every object of the build is in the region and verified: the row is COMPLETED. */
    default void replicaCompleted(ReplicaKey replica) {
    }

    /** An attempt failed; the row is FAILED and retried after its backoff. */
    default void replicaFailed(ReplicaKey replica, String error) {
    }
}
