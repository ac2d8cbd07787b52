package dev.codedeploy.rollout;

import dev.codedeploy.config.ConfigException;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.Waves;
import java.time.Duration;
import java.util.List;

/**
 * How the rollout of one environment proceeds. Every field may be left out of the configuration and takes the
 * default shown.
 *
 * @param waves            cumulative host percentages, ascending, ending at 100 (default 1, 10, 50, 100)
 * @param healthyThreshold share of the hosts of the open waves that must be HEALTHY on the new build before the bake
 *                         time starts (default 0.95)
 * @param failureThreshold share of the hosts of the open waves that may be FAILED or ROLLED_BACK; more triggers an
 *                         automatic rollback to the previous release (default 0.05)
 * @param bakeTime         how long a wave must stay healthy before the next one opens (default 1 min)
 * @param maxUnavailable   percent of all hosts that may be switching or failed at once: no wave step adds more hosts
 *                         than this, and no step opens while this many are unavailable (default 50)
 * @param waveTimeout      a wave that is not healthy after this long counts as failed (default 10 min)
 */
public record RolloutPolicy(List<Integer> waves, Double healthyThreshold, Double failureThreshold, Duration bakeTime,
                            Integer maxUnavailable, Duration waveTimeout) {

    /** Every default. */
    public static final RolloutPolicy DEFAULTS = new RolloutPolicy(null, null, null, null, null, null);

    public RolloutPolicy {
        waves = waves == null ? Release.DEFAULT_WAVES : List.copyOf(waves);
        healthyThreshold = healthyThreshold == null ? 0.95 : healthyThreshold;
        failureThreshold = failureThreshold == null ? 0.05 : failureThreshold;
        bakeTime = bakeTime == null ? Duration.ofMinutes(1) : bakeTime;
        maxUnavailable = maxUnavailable == null ? 50 : maxUnavailable;
        waveTimeout = waveTimeout == null ? Duration.ofMinutes(10) : waveTimeout;
        try {
            Waves.check(waves);
        } catch (RuntimeException e) {
            throw new ConfigException("rollout waves: " + e.getMessage());
        }
        if (healthyThreshold <= 0 || healthyThreshold > 1 || failureThreshold < 0 || failureThreshold >= 1) {
            throw new ConfigException("rollout healthyThreshold must be in (0, 1] and failureThreshold in [0, 1), got "
                    + healthyThreshold + " and " + failureThreshold);
        }
        if (maxUnavailable < 1 || maxUnavailable > 100) {
            throw new ConfigException("rollout maxUnavailable is a percentage of hosts from 1 to 100, got " + maxUnavailable);
        }
        if (bakeTime.isNegative() || waveTimeout.isNegative() || waveTimeout.isZero()) {
            throw new ConfigException("rollout bakeTime must not be negative and waveTimeout must be positive, got "
                    + bakeTime + " and " + waveTimeout);
        }
    }

    /**
     * The wave plan a release carries: {@code plan} split so that no step adds more than {@link #maxUnavailable()}
     * percent of the hosts, since every host of a step may switch at the same moment.
     */
    public List<Integer> steps(List<Integer> plan) {
        return WavePlans.split(plan == null ? waves : plan, maxUnavailable);
    }
}
