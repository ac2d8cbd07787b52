package dev.codedeploy.deploys;

import dev.codedeploy.config.ConfigException;
import java.time.Duration;

/**
 * The {@code deploys:} section: how the deploy conductor of a server works.
 *
 * <pre>
 * deploys:
 *   conductor: true        # run a conductor in codedeploy server (several servers may)
 *   pollInterval: 500ms    # how often it advances the deploys it holds
 *   lease: 15s             # how long a held deploy stays held without renewal (a dead server's deploys wait this long)
 *   maxInFlight: 100       # deploys one conductor holds at once
 *   timeout: 1h            # a deploy's deadline when its request names none
 *   maxTimeout: 24h        # the longest deadline a request may ask for
 *   progressInterval: 2s   # at most one progress line per deploy this often (state changes are always recorded)
 * </pre>
 *
 * @param conductor        run a conductor in {@code codedeploy server} (default true)
 * @param pollInterval     the conductor's period
 * @param lease            a claim's length, renewed every period
 * @param maxInFlight      deploys one conductor holds at once
 * @param timeout          the default deadline of a deploy
 * @param maxTimeout       the longest deadline a request may ask
 * @param progressInterval the least time between two progress lines of one deploy
 */
public record DeploysConfig(Boolean conductor, Duration pollInterval, Duration lease, Integer maxInFlight, Duration timeout,
                            Duration maxTimeout, Duration progressInterval) {

    /** Every default. */
    public static final DeploysConfig DEFAULTS = new DeploysConfig(null, null, null, null, null, null, null);

    public DeploysConfig {
        conductor = conductor == null || conductor;
        pollInterval = positive(pollInterval, Duration.ofMillis(500), "pollInterval");
        lease = positive(lease, Duration.ofSeconds(15), "lease");
        maxInFlight = maxInFlight == null ? 100 : maxInFlight;
        timeout = positive(timeout, Duration.ofHours(1), "timeout");
        maxTimeout = positive(maxTimeout, Duration.ofHours(24), "maxTimeout");
        progressInterval = positive(progressInterval, Duration.ofSeconds(2), "progressInterval");
        if (lease.compareTo(pollInterval.multipliedBy(3)) < 0) {
            throw new ConfigException("deploys.lease (" + lease + ") must be at least three times deploys.pollInterval (" + pollInterval
                    + "): a conductor renews its leases once a period");
        }
        if (maxInFlight < 1 || maxInFlight > 10_000) {
            throw new ConfigException("deploys.maxInFlight must be 1 to 10000, got " + maxInFlight);
        }
        if (timeout.compareTo(maxTimeout) > 0) {
            throw new ConfigException("deploys.timeout (" + timeout + ") is longer than deploys.maxTimeout (" + maxTimeout + ")");
        }
    }

    /** The same with another poll interval and lease (tests, the sandbox). */
    public DeploysConfig withTiming(Duration poll, Duration leaseLength) {
        return new DeploysConfig(conductor, poll, leaseLength, maxInFlight, timeout, maxTimeout, progressInterval);
    }

    private static Duration positive(Duration value, Duration fallback, String field) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException("deploys." + field + " must be positive, got " + d);
        }
        return d;
    }
}
