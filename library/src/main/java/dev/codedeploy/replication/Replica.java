package dev.codedeploy.replication;

import java.time.Instant;

/**
 * One row of {@code build_replicas}.
 *
 * @param jobId       the build
 * @param region      the region
 * @param status      where its copy stands
 * @param attempts    copies tried (bumped at each claim: the fencing token of the current owner)
 * @param error       the last error, or null
 * @param createdAt   when the row was made
 * @param updatedAt   the last change
 * @param startedAt   when the current or last copy started
 * @param finishedAt  when it was verified in the region
 * @param dueAt       when a replicator should next look at it (after a backoff, or when a RUNNING owner's lease ends)
 * @param owner       the replicator of the current or last copy
 * @param heartbeatAt the owner's last heartbeat
 * @param uploadId    the multipart upload of the artifact in progress, resumed by the next owner
 * @param bytesCopied bytes of the artifact in the region so far
 * @param verifiedAt  when its bytes were last read back and matched the build's sha256
 */
public record Replica(long jobId, String region, ReplicaStatus status, int attempts, String error, Instant createdAt,
                      Instant updatedAt, Instant startedAt, Instant finishedAt, Instant dueAt, String owner,
                      Instant heartbeatAt, String uploadId, long bytesCopied, Instant verifiedAt) {
}
