package dev.codedeploy.replication;

/**
 * A replicator's hold on one copy: every write it makes is fenced by the row's {@code attempts}, bumped when it
 * claimed the row. A write that matches no row means another replicator took the copy over.
 *
 * @param jobId  the build
 * @param region the region
 * @param token  the row's {@code attempts} at the claim
 * @param owner  the replicator
 */
public record ReplicaLease(long jobId, String region, int token, String owner) {
}
