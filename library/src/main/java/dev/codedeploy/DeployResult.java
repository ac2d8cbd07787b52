package dev.codedeploy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a deploy ended.
 *
 * @param jobId          the build job (also the build id)
 * @param sha            the commit
 * @param environment    the environment
 * @param stage          SUCCEEDED, FAILED or CANCELLED
 * @param artifactSha256 the artifact's sha256, when it was built
 * @param artifactSize   its size, when it was built
 * @param regions        per region host counts (empty before the rollout started)
 * @param timings        how long each stage took
 * @param error          why it failed, or null
 */
public record DeployResult(long jobId, String sha, String environment, DeployStage stage, String artifactSha256, Long artifactSize,
                           List<RegionResult> regions, Map<DeployStage, Duration> timings, String error) {

    /** The build id (the job id). */
    public long buildId() {
        return jobId;
    }

    /** True when it SUCCEEDED. */
    public boolean succeeded() {
        return stage == DeployStage.SUCCEEDED;
    }
}
