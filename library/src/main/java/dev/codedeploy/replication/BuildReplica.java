package dev.codedeploy.replication;

import java.time.Instant;

/**
 * Where one build stands in one region, for status displays.
 *
 * @param region      the region
 * @param status      its status (PENDING when it has no row yet)
 * @param attempts    copies tried
 * @param error       the last error, or null
 * @param bytesCopied artifact bytes in the region so far
 * @param owner       the replicator of the current or last copy
 * @param startedAt   when the current or last copy started
 * @param finishedAt  when it was verified in the region
 * @param verifiedAt  when its bytes were last read back
 * @param lagMicros   from the build's completion to its verification in the region, or to now while it is missing
 */
public record BuildReplica(String region, ReplicaStatus status, int attempts, String error, long bytesCopied, String owner,
                           Instant startedAt, Instant finishedAt, Instant verifiedAt, Long lagMicros) {

    /** The lag in seconds, or -1 when unknown. */
    public double lagSeconds() {
        return lagMicros == null ? -1 : lagMicros / 1e6;
    }
}
