package dev.codedeploy.replication;

/**
 * The key of a {@code build_replicas} row.
 *
 * @param jobId  the build
 * @param region the region
 */
public record ReplicaKey(long jobId, String region) {
}
