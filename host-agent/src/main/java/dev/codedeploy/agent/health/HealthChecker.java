package dev.codedeploy.agent.health;

import dev.codedeploy.release.DeploySpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a release's health check with its retries: healthy at the first healthy attempt, unhealthy when every
 * attempt failed (the result then carries the last attempt's detail).
 */
public final class HealthChecker {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private HealthChecker() {
    }

    /** The check {@code spec} describes, run in {@code folder} (commands) with {@code environment}. */
    public static HealthCheck of(DeploySpec.HealthCheck spec, Path folder, Map<String, String> environment, Path log) {
        if (spec.url() != null) {
            return new HttpHealthCheck(spec.url(), spec.timeout());
        }
        return new CommandHealthCheck(spec.command(), folder, environment, spec.timeout(), log);
    }

    /** Tries {@code check} up to {@code attempts} times, {@code interval} apart. */
    public static HealthCheck.Result run(HealthCheck check, int attempts, Duration interval, String what) {
        HealthCheck.Result result = new HealthCheck.Result(false, "not run");
        for (int attempt = 1; attempt <= attempts; attempt++) {
            result = check.attempt();
            if (result.healthy()) {
                LOG.info("{}: healthy ({}) at attempt {} of {}", what, result.detail(), attempt, attempts);
                return result;
            }
            LOG.warn("{}: {} unhealthy at attempt {} of {}: {}", what, check.describe(), attempt, attempts, result.detail());
            if (attempt < attempts) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new HealthCheck.Result(false, "interrupted");
                }
            }
        }
        return new HealthCheck.Result(false, check.describe() + " failed " + attempts + " time(s), last: " + result.detail());
    }
}
