package dev.codedeploy.replication;

import dev.codedeploy.database.Database;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Says whether a build may be deployed: only when every configured region holds a verified copy
 * ({@code build_replicas} COMPLETED for each region).
 */
public class DeployGate {

    private final Database database;
    private final Set<String> regions;

    /** A gate over the regions {@code regions}. */
    public DeployGate(Database database, Set<String> regions) {
        this.database = database.addMapper(ReplicaMapper.class);
        this.regions = Set.copyOf(regions);
    }

    /** True when every configured region has a COMPLETED replica of {@code buildId}. */
    public boolean isDeployable(long buildId) {
        Map<String, ReplicaStatus> byRegion = replicas(buildId);
        return regions.stream().allMatch(r -> byRegion.get(r) == ReplicaStatus.COMPLETED);
    }

    /** The status of each configured region for {@code buildId}; a region with no row yet is PENDING. */
    public Map<String, ReplicaStatus> replicas(long buildId) {
        List<Replica> rows = database.inTransaction(ReplicaMapper.class, m -> m.findByJob(buildId));
        Map<String, ReplicaStatus> found = rows.stream().collect(Collectors.toMap(Replica::region, Replica::status));
        Map<String, ReplicaStatus> result = new TreeMap<>();
        regions.forEach(r -> result.put(r, found.getOrDefault(r, ReplicaStatus.PENDING)));
        return result;
    }

    /** The configured regions. */
    public Set<String> regions() {
        return regions;
    }

    /** The rows of {@code buildId}, for status displays. */
    public List<Replica> rows(long buildId) {
        return database.inTransaction(ReplicaMapper.class, m -> m.findByJob(buildId));
    }
}
