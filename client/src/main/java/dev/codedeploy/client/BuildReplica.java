package dev.codedeploy.client;

import java.time.Instant;

/**
 * A build's copy in one region.
 *
 * @param region      the region
 * @param status      PENDING, RUNNING, COMPLETED, FAILED or REMOVED
 * @param attempts    copy attempts so far
 * @param bytesCopied bytes copied by the current attempt
 * @param error       the last error, or null
 * @param updatedAt   when the row last changed
 * @param verifiedAt  when its checksum was last verified, or null
 */
public record BuildReplica(String region, String status, int attempts, long bytesCopied, String error, Instant updatedAt,
                           Instant verifiedAt) {
}
