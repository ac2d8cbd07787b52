package dev.codedeploy.jenkins;

import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.RegionCounts;
import dev.codedeploy.client.StageTiming;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The step's return value: a map of plain values, as Pipeline scripts read and persist them
 * ({@code r.buildId}, {@code r.regions['eu-west'].healthy}).
 */
final class ResultMap {

    private ResultMap() {
    }

    /**
     * @param deploy the deploy as the step last read it
     * @param status what the step reports: SUCCEEDED when the deploy succeeded, or when its release was published and
     *               the step did not wait for the rollout
     */
    static Map<String, Object> of(Deploy deploy, String status) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("deployId", deploy.id());
        map.put("jobId", deploy.jobId());
        map.put("buildId", deploy.jobId());
        map.put("sha", deploy.sha());
        map.put("environment", deploy.environment());
        map.put("status", status);
        map.put("state", deploy.state().name());
        map.put("releaseVersion", deploy.releaseVersion());
        map.put("artifactSha256", deploy.artifactSha256());
        map.put("artifactSize", deploy.artifactSize());
        Map<String, Object> regions = new LinkedHashMap<>();
        for (RegionCounts region : deploy.regions()) {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("hosts", region.hosts());
            counts.put("onBuild", region.onBuild());
            counts.put("healthy", region.healthy());
            counts.put("failed", region.failed());
            regions.put(region.region(), counts);
        }
        map.put("regions", regions);
        Map<String, Object> timings = new LinkedHashMap<>();
        for (StageTiming timing : deploy.timings()) {
            timings.put(timing.stage().name(), timing.millis());
        }
        map.put("timingsMillis", timings);
        return map;
    }
}
