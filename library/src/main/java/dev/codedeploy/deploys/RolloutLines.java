package dev.codedeploy.deploys;

import dev.codedeploy.client.RegionCounts;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.Release;
import dev.codedeploy.rollout.RegionStatus;
import dev.codedeploy.rollout.RolloutStatus;
import dev.codedeploy.rollout.WaveProgress;
import java.util.List;
import java.util.Map;

/** Turns a rollout's status into a deploy's progress lines and per-region counts. */
final class RolloutLines {

    private RolloutLines() {
    }

    static String describe(RolloutStatus status, long buildId) {
        Release release = status.release();
        WaveProgress p = status.progress();
        if (release == null || p == null) {
            return "waiting for the release to reach the regions";
        }
        if (p.hosts() == 0) {
            // a rollout to nobody never succeeds: say why it waits, the usual cause being a misspelt environment
            return "no host of " + release.environment() + " reports in any region yet; waiting for hosts to register";
        }
        String wave = release.openWave() < 0 ? "no wave open yet"
                : "wave " + (release.openWave() + 1) + " of " + release.waves().size() + " open (" + release.openPercent() + "%)";
        return wave + (release.paused() ? ", paused" : "") + ": " + p.downloaded() + "/" + p.hosts() + " hosts hold build " + buildId
                + ", " + p.healthy() + " switched and healthy, " + p.failed() + " failed";
    }

    static Double fraction(RolloutStatus status) {
        WaveProgress p = status.progress();
        return p == null || p.hosts() == 0 ? null : (double) p.healthy() / p.hosts();
    }

    static List<RegionCounts> regions(RolloutStatus status, long buildId) {
        return status.regions().stream().map(r -> region(r, buildId)).toList();
    }

    private static RegionCounts region(RegionStatus region, long buildId) {
        Map<HostState, Integer> states = region.builds().getOrDefault(buildId, Map.of());
        int onBuild = states.values().stream().mapToInt(Integer::intValue).sum();
        int healthy = states.getOrDefault(HostState.HEALTHY, 0) + states.getOrDefault(HostState.IDLE, 0);
        int failed = region.builds().values().stream()
                .mapToInt(s -> s.getOrDefault(HostState.FAILED, 0) + s.getOrDefault(HostState.ROLLED_BACK, 0)).sum();
        return new RegionCounts(region.region(), region.hosts(), onBuild, healthy, failed);
    }
}
