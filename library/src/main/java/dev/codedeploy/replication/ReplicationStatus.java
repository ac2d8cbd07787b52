package dev.codedeploy.replication;

import dev.codedeploy.database.Database;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The status queries of replication: each region's backlog and lag, and where one build stands in each region. */
public final class ReplicationStatus {

    private final Database database;
    private final List<String> regions;

    /** Status over the configured {@code regions}. */
    public ReplicationStatus(Database database, Collection<String> regions) {
        this.database = database.addMapper(ReplicaMapper.class).addMapper(StatusMapper.class);
        this.regions = List.copyOf(new TreeSet<>(regions));
    }

    /** Every configured region: counts by status, backlog, lag and last error. */
    public List<RegionReplication> regions() {
        Map<String, Map<ReplicaStatus, Long>> counts = new HashMap<>();
        Map<String, RegionLag> lags = new HashMap<>();
        Map<String, String> errors = new HashMap<>();
        database.inTransaction(ReplicaMapper.class, m -> {
            m.countByRegionAndStatus().forEach(c -> counts.computeIfAbsent(c.region(), r -> new EnumMap<>(ReplicaStatus.class)).put(c.status(), c.count()));
            m.lag().forEach(l -> lags.put(l.region(), l));
            regions.forEach(r -> errors.put(r, m.lastError(r)));
            return null;
        });
        List<RegionReplication> result = new ArrayList<>();
        for (String region : regions) {
            Map<ReplicaStatus, Long> byStatus = new EnumMap<>(ReplicaStatus.class);
            for (ReplicaStatus s : ReplicaStatus.values()) {
                byStatus.put(s, counts.getOrDefault(region, Map.of()).getOrDefault(s, 0L));
            }
            RegionLag lag = lags.get(region);
            result.add(new RegionReplication(region, database.inTransaction(StatusMapper.class, m -> m.addedAt(region)), byStatus,
                    lag == null ? 0 : lag.waiting(), lag == null ? 0 : Math.max(0, lag.lagSeconds()), errors.get(region)));
        }
        return result;
    }

    /** Where {@code buildId} stands in every configured region; a region without a row yet is PENDING. */
    public List<BuildReplica> build(long buildId) {
        return database.inTransaction(StatusMapper.class, m -> {
            Map<String, BuildReplica> rows = new HashMap<>();
            m.replicasOf(buildId).forEach(r -> rows.put(r.region(), r));
            Long age = m.ageMicros(buildId);
            List<BuildReplica> result = new ArrayList<>();
            for (String region : regions) {
                result.add(rows.getOrDefault(region, new BuildReplica(region, ReplicaStatus.PENDING, 0, null, 0, null, null, null, null, age)));
            }
            return result;
        });
    }
}
