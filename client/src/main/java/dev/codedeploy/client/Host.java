package dev.codedeploy.client;

import java.time.Instant;

/**
 * One host of an environment as its agent last reported it: {@code GET /api/v1/environments/{env}/hosts}.
 *
 * @param host           the host id
 * @param region         its region
 * @param wave           the wave it switches in (1 for the first) under the environment's release, or 0 without one
 * @param state          its state (DOWNLOADING, VERIFIED, SWITCHING, HEALTHY, FAILED, ROLLED_BACK, IDLE)
 * @param onRelease      it works on or runs the release's build (false: it still reports another build)
 * @param currentBuildId the build it runs, or null
 * @param targetBuildId  the build it works on, or null
 * @param releaseVersion the version of the release record it acted on
 * @param error          its last error, or null
 * @param updatedAt      when the agent wrote its status (the host's clock)
 */
public record Host(String host, String region, int wave, String state, boolean onRelease, Long currentBuildId, Long targetBuildId,
                   long releaseVersion, String error, Instant updatedAt) {
}
