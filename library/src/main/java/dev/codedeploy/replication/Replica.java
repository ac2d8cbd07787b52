package dev.codedeploy.replication;

import java.time.Instant;

/**
 * One row of {@code build_replicas}.
 *
 * @param jobId      the build
 * @param region     the region
 * @param status     where its copy stands
 * @param attempts   copies tried
 * @param error      the last error, or null
 * @param createdAt  when the row was made
 * @param updatedAt  the last change
 * @param startedAt  when the current or last copy started
 * @param finishedAt when it was verified in the region
 */
public record Replica(long jobId, String region, ReplicaStatus status, int attempts, String error, Instant createdAt,
                      Instant updatedAt, Instant startedAt, Instant finishedAt) {
}
