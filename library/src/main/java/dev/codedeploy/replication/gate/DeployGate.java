package dev.codedeploy.replication.gate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.database.Database;
import dev.codedeploy.json.Json;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.replication.Replica;
import dev.codedeploy.replication.ReplicaMapper;
import dev.codedeploy.replication.ReplicaStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says whether a build may be deployed: only when every configured region holds a verified copy
 * ({@code build_replicas} COMPLETED for each region). When {@link GateOverrideConfig#enabled()} an operator may let a
 * build through to one environment once a quorum of regions holds it; each use is recorded in {@code gate_overrides}
 * and in the {@code deployments} audit with who and why.
 */
public class DeployGate {

    private static final Logger log = LoggerFactory.getLogger(DeployGate.class);
    private static final int MAX_REASON = 2000;

    private final Database database;
    private final Set<String> regions;
    private final GateOverrideConfig override;

    /** A gate over the regions {@code regions}, without override. */
    public DeployGate(Database database, Set<String> regions) {
        this(database, regions, GateOverrideConfig.OFF);
    }

    /** A gate over the regions {@code regions} with the override settings {@code override}. */
    public DeployGate(Database database, Set<String> regions, GateOverrideConfig override) {
        this.database = database.addMapper(ReplicaMapper.class).addMapper(GateOverrideMapper.class);
        this.regions = Set.copyOf(regions);
        this.override = override;
    }

    /** True when every configured region has a COMPLETED replica of {@code buildId}; overrides do not count here. */
    public boolean isDeployable(long buildId) {
        Map<String, ReplicaStatus> byRegion = replicas(buildId);
        return !regions.isEmpty() && regions.stream().allMatch(r -> byRegion.get(r) == ReplicaStatus.COMPLETED);
    }

    /** The gate's answer for deploying {@code buildId} to {@code environment}, counting a recorded override. */
    public GateDecision decide(long buildId, String environment) {
        ZkLayout.checkEnvironment(environment);
        Map<String, ReplicaStatus> byRegion = replicas(buildId);
        Set<String> completed = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        byRegion.forEach((region, status) -> (status == ReplicaStatus.COMPLETED ? completed : missing).add(region));
        boolean deployable = !regions.isEmpty() && missing.isEmpty();
        GateOverride recorded = null;
        if (!deployable && override.enabled() && completed.size() >= override.quorumOf(regions.size())) {
            recorded = database.inTransaction(GateOverrideMapper.class, m -> m.latest(buildId, environment));
        }
        return new GateDecision(buildId, environment, completed, missing, deployable, recorded);
    }

    /**
     * Lets {@code buildId} through to {@code environment} while some regions still lack it, and records who and why.
     *
     * @throws GateOverrideRefusedException when the override is off, or fewer regions than the quorum hold the build
     * @throws InvalidInputException        when the actor, reason or environment is malformed, or the build is not a
     *                                      COMPLETED build that retention kept; nothing is recorded then
     */
    public GateOverride override(long buildId, String environment, String actor, String reason) {
        ZkLayout.checkEnvironment(environment);
        if (actor == null || actor.isBlank() || actor.length() > 255) {
            throw new InvalidInputException("the actor of a gate override must be 1 to 255 characters naming who uses it, got '" + actor + "'");
        }
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            throw new InvalidInputException("the reason of a gate override is required (1 to " + MAX_REASON
                    + " characters): say why the build must go out before every region has it");
        }
        if (!override.enabled()) {
            throw new GateOverrideRefusedException("the quorum override of the deploy gate is off (replication.gateOverride.enabled is false):"
                    + " build " + buildId + " can only be deployed once every region " + new TreeSet<>(regions) + " holds it");
        }
        int quorum = override.quorumOf(regions.size());
        return database.inTransaction(GateOverrideMapper.class, m -> {
            String status = m.jobStatus(buildId);
            if (!"COMPLETED".equals(status) || m.removals(buildId) > 0) {
                throw new InvalidInputException("build " + buildId + " cannot be overridden: "
                        + (status == null ? "there is no such build" : "it is " + status + (m.removals(buildId) > 0 ? " and removed by retention" : ""))
                        + "; only a COMPLETED build can be deployed");
            }
            Set<String> completedSet = new TreeSet<>(m.completedRegions(buildId));
            completedSet.retainAll(regions);
            Set<String> missingSet = new TreeSet<>(regions);
            missingSet.removeAll(completedSet);
            String completed = String.join(",", completedSet);
            String missing = String.join(",", missingSet);
            int have = completedSet.size();
            if (have < quorum) {
                throw new GateOverrideRefusedException("build " + buildId + " is in " + have + " of " + regions.size()
                        + " regions (" + (completed.isEmpty() ? "none" : completed) + "); the override needs a quorum of " + quorum);
            }
            GateOverrideMapper.NewOverride row = new GateOverrideMapper.NewOverride();
            row.jobId = buildId;
            row.environment = environment;
            row.actor = actor.trim();
            row.reason = reason.trim();
            row.quorum = quorum;
            row.regionsCompleted = completed;
            row.regionsMissing = missing;
            m.insert(row);
            ObjectNode detail = Json.MAPPER.createObjectNode().put("reason", row.reason).put("quorum", quorum)
                    .put("regionsCompleted", completed).put("regionsMissing", missing).put("override", row.id);
            m.audit(environment, buildId, detail.toString(), row.actor);
            log.warn("deploy gate overridden by {} for build {} to {}: {} (missing in {})", row.actor, buildId, environment, row.reason, missing);
            return m.find(row.id);
        });
    }

    /** The status of each configured region for {@code buildId}; a region with no row yet is PENDING. */
    public Map<String, ReplicaStatus> replicas(long buildId) {
        return database.inTransaction(ReplicaMapper.class, m -> replicasIn(m, buildId));
    }

    private Map<String, ReplicaStatus> replicasIn(ReplicaMapper mapper, long buildId) {
        Map<String, ReplicaStatus> found = mapper.findByJob(buildId).stream().collect(Collectors.toMap(Replica::region, Replica::status));
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
