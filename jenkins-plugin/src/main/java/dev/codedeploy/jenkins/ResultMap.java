package dev.codedeploy.jenkins;

import dev.codedeploy.DeployResult;
import dev.codedeploy.RegionResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The step's return value: a map of plain values, as Pipeline scripts read and persist them
 * ({@code r.buildId}, {@code r.regions['eu-west'].healthy}).
 */
final class ResultMap {

    private ResultMap() {
    }

    static Map<String, Object> of(DeployResult result) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("jobId", result.jobId());
        map.put("buildId", result.buildId());
        map.put("sha", result.sha());
        map.put("environment", result.environment());
        map.put("status", result.stage().name());
        map.put("artifactSha256", result.artifactSha256());
        map.put("artifactSize", result.artifactSize());
        Map<String, Object> regions = new LinkedHashMap<>();
        for (RegionResult region : result.regions()) {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("hosts", region.hosts());
            counts.put("onBuild", region.onBuild());
            counts.put("healthy", region.healthy());
            counts.put("failed", region.failed());
            regions.put(region.region(), counts);
        }
        map.put("regions", regions);
        Map<String, Object> timings = new LinkedHashMap<>();
        result.timings().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> timings.put(e.getKey().name(), e.getValue().toMillis()));
        map.put("timingsMillis", timings);
        return map;
    }
}
