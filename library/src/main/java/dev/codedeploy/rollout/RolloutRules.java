package dev.codedeploy.rollout;

import dev.codedeploy.release.Release;
import java.time.Duration;
import java.time.Instant;

/**
 * What the driver does next with one environment, from its record, its hosts and how long things have lasted.
 * Pure: the caller keeps one {@link WaveTimer} per environment and passes the time, so tests set the clock.
 *
 * <ol>
 *   <li>No host reports at all: wait (a rollout to nobody is not a success).</li>
 *   <li>More than {@code failureThreshold} of the activated hosts failed: roll back (or fail, with nothing to go back
 *       to). This holds while paused too.</li>
 *   <li>An open wave not healthy after {@code waveTimeout} (not while paused): the same.</li>
 *   <li>Not healthy ({@code healthyThreshold} of the activated hosts HEALTHY on the build): wait.</li>
 *   <li>Download only (no wave open yet): open the first wave.</li>
 *   <li>Healthy for less than {@code bakeTime}: wait.</li>
 *   <li>Last wave baked: the rollout is complete.</li>
 *   <li>Paused, or the next step would take more than {@code maxUnavailable} percent of the hosts out at once: wait.</li>
 *   <li>Otherwise open the next wave.</li>
 * </ol>
 * A rollback record has no waves: it completes once its hosts are healthy.
 */
final class RolloutRules {

    /** What to do. */
    enum Step { WAIT, OPEN_NEXT, ROLLBACK, FAIL, COMPLETE }

    /**
     * A decision.
     *
     * @param step   what to do
     * @param reason why, for the audit and logs
     */
    record Decision(Step step, String reason) {
    }

    private RolloutRules() {
    }

    static Decision decide(Release release, WaveProgress progress, RolloutPolicy policy, WaveTimer timer, Instant now) {
        boolean healthy = progress.healthyShare() >= policy.healthyThreshold();
        timer.observe(release, healthy, now);
        if (release.rollback()) {
            return healthy ? new Decision(Step.COMPLETE, "hosts are back on build " + release.buildId())
                    : new Decision(Step.WAIT, "waiting for the hosts to go back to build " + release.buildId());
        }
        if (progress.hosts() == 0) {
            return new Decision(Step.WAIT, "no host of " + release.environment() + " reports in any region");
        }
        Step giveUp = release.previousBuildId() == null ? Step.FAIL : Step.ROLLBACK;
        if (progress.failedShare() > policy.failureThreshold()) {
            return new Decision(giveUp, progress.failed() + " of " + progress.activated() + " hosts of the open waves failed on build "
                    + release.buildId() + ", more than the threshold of " + percent(policy.failureThreshold()));
        }
        if (!healthy) {
            Duration open = Duration.between(timer.waveSince(), now);
            if (release.openWave() >= 0 && !release.paused() && open.compareTo(policy.waveTimeout()) >= 0) {
                return new Decision(giveUp, "wave " + (release.openWave() + 1) + " (" + release.openPercent() + "%) is not healthy after "
                        + open.toSeconds() + " s: " + progress.healthy() + " of " + progress.activated() + " hosts healthy");
            }
            return new Decision(Step.WAIT, progress.healthy() + " of " + progress.activated() + " hosts healthy, below "
                    + percent(policy.healthyThreshold()) + (progress.missing() == 0 ? "" : "; " + progress.missing() + " hosts missing"));
        }
        boolean lastWave = release.openWave() == release.waves().size() - 1;
        if (release.openWave() < 0) {
            return release.paused() ? new Decision(Step.WAIT, "paused") : new Decision(Step.OPEN_NEXT, "download started: first wave opens");
        }
        Duration baked = Duration.between(timer.healthySince(), now);
        if (baked.compareTo(policy.bakeTime()) < 0) {
            return new Decision(Step.WAIT, "baking: healthy for " + baked.toSeconds() + " s of " + policy.bakeTime().toSeconds() + " s");
        }
        if (lastWave) {
            return new Decision(Step.COMPLETE, "every wave is open and healthy: " + progress.healthy() + " of " + progress.activated() + " hosts");
        }
        if (release.paused()) {
            return new Decision(Step.WAIT, "paused");
        }
        int allowed = (int) Math.ceil(progress.hosts() * policy.maxUnavailable() / 100.0);
        if (progress.unavailable() > 0 && progress.unavailable() + progress.nextStepHosts() > allowed) {
            return new Decision(Step.WAIT, progress.unavailable() + " hosts unavailable and the next step adds " + progress.nextStepHosts()
                    + ": more than maxUnavailable " + policy.maxUnavailable() + "% (" + allowed + " hosts)");
        }
        return new Decision(Step.OPEN_NEXT, "wave " + (release.openWave() + 1) + " healthy (" + progress.healthy() + " of "
                + progress.activated() + ") for " + baked.toSeconds() + " s");
    }

    private static String percent(double share) {
        return Math.round(share * 1000) / 10.0 + "%";
    }

    /**
     * How long the current wave of an environment has been open and healthy, as the driver has seen it.
     */
    static final class WaveTimer {

        private String key;
        private Instant waveSince;
        private Instant healthySince;

        /** Restarts the clocks when the wave (or the build) changed, and keeps or resets the healthy time. */
        void observe(Release release, boolean healthy, Instant now) {
            String current = release.buildId() + "/" + release.rollback() + "/" + release.openWave() + "/" + release.waves();
            if (!current.equals(key)) {
                key = current;
                waveSince = now;
                healthySince = null;
            }
            healthySince = healthy ? (healthySince == null ? now : healthySince) : null;
        }

        Instant waveSince() {
            return waveSince;
        }

        Instant healthySince() {
            return healthySince;
        }
    }
}
