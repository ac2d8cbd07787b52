package dev.codedeploy.rollout;

import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.Waves;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * How far the hosts are with one release, over all regions: what the driver decides on.
 *
 * @param hosts         hosts in the environment: reporting, or missing
 * @param activated     hosts whose wave is open (they may switch)
 * @param healthy       activated hosts running the release and healthy
 * @param failed        activated hosts that failed on the release or went back from it
 * @param unavailable   activated hosts switching or failed: not serving
 * @param downloaded    hosts (in any wave) that hold the release verified, or run it
 * @param nextStepHosts hosts that the next wave step would activate
 * @param missing       hosts seen lately whose node is gone (a lost session, a restart): counted as activated and
 *                      unavailable when their wave is open, never as healthy
 */
public record WaveProgress(int hosts, int activated, int healthy, int failed, int unavailable, int downloaded, int nextStepHosts,
                           int missing) {

    private static final Set<HostState> SERVING = EnumSet.of(HostState.HEALTHY, HostState.IDLE);
    private static final Set<HostState> FAILED = EnumSet.of(HostState.FAILED, HostState.ROLLED_BACK);
    private static final Set<HostState> NOT_SERVING = EnumSet.of(HostState.SWITCHING, HostState.FAILED);
    private static final Set<HostState> HOLDS_IT = EnumSet.of(HostState.VERIFIED, HostState.SWITCHING, HostState.HEALTHY);

    /** Counts {@code statuses} against {@code release}. */
    public static WaveProgress of(Release release, Collection<HostStatus> statuses) {
        return of(release, statuses, Set.of());
    }

    /** Counts {@code statuses}, and the hosts {@code missing} (by id), against {@code release}. */
    public static WaveProgress of(Release release, Collection<HostStatus> statuses, Set<String> missing) {
        int open = release.openPercent();
        int next = release.openWave() + 1 < release.waves().size() ? release.waves().get(release.openWave() + 1) : open;
        long build = release.buildId();
        int activated = 0, healthy = 0, failed = 0, unavailable = 0, downloaded = 0, nextStep = 0;
        for (HostStatus s : statuses) {
            int percentile = Waves.percentileOf(s.host());
            boolean runsIt = s.currentBuildId() != null && s.currentBuildId() == build;
            boolean targetsIt = s.targetBuildId() != null && s.targetBuildId() == build;
            HostState state = s.state() == null ? HostState.IDLE : s.state();
            if (runsIt || (targetsIt && HOLDS_IT.contains(state))) {
                downloaded++;
            }
            if (percentile >= open) {
                if (percentile < next) {
                    nextStep++;
                }
                continue;
            }
            activated++;
            if (runsIt && SERVING.contains(state)) {
                healthy++;
            }
            if (targetsIt && FAILED.contains(state)) {
                failed++;
            }
            if (NOT_SERVING.contains(state)) {
                unavailable++;
            }
        }
        for (String host : missing) {
            int percentile = Waves.percentileOf(host);
            if (percentile < open) {
                activated++;
                unavailable++;
            } else if (percentile < next) {
                nextStep++;
            }
        }
        return new WaveProgress(statuses.size() + missing.size(), activated, healthy, failed, unavailable, downloaded, nextStep,
                missing.size());
    }

    /** Healthy share of the activated hosts; 1 when none is activated. */
    public double healthyShare() {
        return activated == 0 ? 1.0 : (double) healthy / activated;
    }

    /** Failed share of the activated hosts; 0 when none is activated. */
    public double failedShare() {
        return activated == 0 ? 0.0 : (double) failed / activated;
    }
}
