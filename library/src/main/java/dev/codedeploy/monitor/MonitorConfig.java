package dev.codedeploy.monitor;

import java.time.Duration;

/**
 * Settings of the heartbeat monitor.
 *
 * @param enabled       run a monitor in this process
 * @param checkInterval how often it looks for stale jobs (default 30 s)
 */
public record MonitorConfig(boolean enabled, Duration checkInterval) {

    public MonitorConfig {
        if (checkInterval == null) {
            checkInterval = Duration.ofSeconds(30);
        }
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("monitor.checkInterval must be positive, got " + checkInterval);
        }
    }

    /** A monitor that runs, checking every 30 s. */
    public static MonitorConfig defaults() {
        return new MonitorConfig(true, null);
    }
}
