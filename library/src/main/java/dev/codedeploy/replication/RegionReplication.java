package dev.codedeploy.replication;

import java.time.Instant;
import java.util.Map;

/**
 * Where one region stands, for status displays.
 *
 * @param region     the region
 * @param addedAt    when a replicator first ran with it, or null
 * @param counts     its rows by status
 * @param waiting    builds it does not hold yet
 * @param lagSeconds time since the oldest build it does not hold completed; 0 when it holds them all
 * @param lastError  the newest error among the builds it does not hold, or null
 */
public record RegionReplication(String region, Instant addedAt, Map<ReplicaStatus, Long> counts, long waiting, double lagSeconds,
                                String lastError) {
}
