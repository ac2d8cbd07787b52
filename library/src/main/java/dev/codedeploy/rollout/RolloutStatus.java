package dev.codedeploy.rollout;

import dev.codedeploy.release.Release;
import java.util.List;

/**
 * Where the rollout of an environment stands.
 *
 * @param environment the environment
 * @param release     the master's release record, or null when there is none (or it is invalid)
 * @param regions     each region's record version and host counts
 * @param progress    the hosts against the release, over all regions (null without a release)
 */
public record RolloutStatus(String environment, Release release, List<RegionStatus> regions, WaveProgress progress) {

    /** One line for logs and progress displays. */
    public String summary() {
        if (release == null) {
            return environment + ": no release";
        }
        return environment + ": build " + release.buildId() + " v" + release.version() + (release.rollback() ? " (rollback)" : "")
                + (release.paused() ? " (paused)" : "") + ", wave " + (release.openWave() + 1) + "/" + release.waves().size()
                + " (" + release.openPercent() + "%), hosts " + progress.hosts() + ", downloaded " + progress.downloaded()
                + ", healthy " + progress.healthy() + "/" + progress.activated() + ", failed " + progress.failed();
    }
}
