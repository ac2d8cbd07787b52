package dev.codedeploy.replication;

import dev.codedeploy.replication.gate.GateOverrideConfig;
import dev.codedeploy.replication.retention.RetentionConfig;
import java.time.Duration;

/**
 * Settings of the replicator, the deploy gate and retention (section {@code replication}).
 *
 * @param enabled             whether this process may run a replicator ({@code codedeploy replication run} refuses to
 *                            start when false; default true)
 * @param pollInterval        how often an idle replicator looks for work (default 2 s)
 * @param heartbeatInterval   how often a copy renews its lease; another replicator takes the copy over after three
 *                            missed heartbeats (default 10 s)
 * @param maxParallelCopies   region copies running at once in this process (default 8); the regions a build is streamed to
 *                            share one read of the master
 * @param maxCopiesPerRegion  copies to one region running at once in this process, so a slow region cannot take every
 *                            slot (default 2)
 * @param retryBackoff        wait after a first failure; doubled at each further one (default 2 s)
 * @param maxRetryBackoff     the longest wait between attempts (default 2 min)
 * @param lookback            how far back the planner looks for COMPLETED builds without replicas (default 2 d)
 * @param masterScanInterval  how often the master store is listed for new builds; zero turns the scan off (default 5 min)
 * @param auditInterval       how often COMPLETED replicas are read back and checked; zero turns audits off (default 10 min)
 * @param auditBatch          replicas read back per audit (default 4)
 * @param keepPerEnvironment  N: the builds that can still be deployed are the last N deployed to each environment and
 *                            the last N completed of each repository; a region added later is backfilled with them,
 *                            and retention keeps them (default 10)
 * @param gateOverride        the quorum override of the deploy gate (off by default)
 * @param retention           deletion of old builds (off by default)
 */
public record ReplicationConfig(Boolean enabled, Duration pollInterval, Duration heartbeatInterval, int maxParallelCopies,
                                int maxCopiesPerRegion, Duration retryBackoff, Duration maxRetryBackoff, Duration lookback,
                                Duration masterScanInterval, Duration auditInterval, int auditBatch, int keepPerEnvironment,
                                GateOverrideConfig gateOverride, RetentionConfig retention) {

    public ReplicationConfig {
        enabled = enabled == null || enabled;
        pollInterval = Settings.positive(pollInterval, Duration.ofSeconds(2), "replication.pollInterval");
        heartbeatInterval = Settings.positive(heartbeatInterval, Duration.ofSeconds(10), "replication.heartbeatInterval");
        maxParallelCopies = Settings.positive(maxParallelCopies, 8, "replication.maxParallelCopies");
        maxCopiesPerRegion = Settings.positive(maxCopiesPerRegion, 2, "replication.maxCopiesPerRegion");
        retryBackoff = Settings.positive(retryBackoff, Duration.ofSeconds(2), "replication.retryBackoff");
        maxRetryBackoff = Settings.positive(maxRetryBackoff, Duration.ofMinutes(2), "replication.maxRetryBackoff");
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("replication.maxRetryBackoff (" + maxRetryBackoff + ") must not be below retryBackoff (" + retryBackoff + ")");
        }
        lookback = Settings.positive(lookback, Duration.ofDays(2), "replication.lookback");
        masterScanInterval = Settings.zeroOrPositive(masterScanInterval, Duration.ofMinutes(5), "replication.masterScanInterval");
        auditInterval = Settings.zeroOrPositive(auditInterval, Duration.ofMinutes(10), "replication.auditInterval");
        auditBatch = Settings.positive(auditBatch, 4, "replication.auditBatch");
        keepPerEnvironment = Settings.positive(keepPerEnvironment, 10, "replication.keepPerEnvironment");
        gateOverride = gateOverride == null ? GateOverrideConfig.OFF : gateOverride;
        retention = retention == null ? RetentionConfig.OFF : retention;
    }

    /** Every default: a replicator runs, no override, no retention. */
    public static ReplicationConfig defaults() {
        return new ReplicationConfig(null, null, null, 0, 0, null, null, null, null, null, 0, 0, null, null);
    }

    /** A copy after a copy missed three heartbeats: its lease. */
    public Duration lease() {
        return heartbeatInterval.multipliedBy(3);
    }

    /** The same settings with other poll, heartbeat and backoff times (tests and the sandbox run fast). */
    public ReplicationConfig withTimes(Duration poll, Duration heartbeat, Duration backoff, Duration maxBackoff) {
        return new ReplicationConfig(enabled, poll, heartbeat, maxParallelCopies, maxCopiesPerRegion, backoff, maxBackoff, lookback,
                masterScanInterval, auditInterval, auditBatch, keepPerEnvironment, gateOverride, retention);
    }

    /** The same settings with another audit interval and batch. */
    public ReplicationConfig withAudit(Duration interval, int batch) {
        return new ReplicationConfig(enabled, pollInterval, heartbeatInterval, maxParallelCopies, maxCopiesPerRegion, retryBackoff,
                maxRetryBackoff, lookback, masterScanInterval, interval, batch, keepPerEnvironment, gateOverride, retention);
    }

    /** The same settings with another bound on parallel copies. */
    public ReplicationConfig withParallelCopies(int total, int perRegion) {
        return new ReplicationConfig(enabled, pollInterval, heartbeatInterval, total, perRegion, retryBackoff, maxRetryBackoff,
                lookback, masterScanInterval, auditInterval, auditBatch, keepPerEnvironment, gateOverride, retention);
    }

    /** The same settings with another look-back of the planner. */
    public ReplicationConfig withLookback(Duration window) {
        return new ReplicationConfig(enabled, pollInterval, heartbeatInterval, maxParallelCopies, maxCopiesPerRegion, retryBackoff,
                maxRetryBackoff, window, masterScanInterval, auditInterval, auditBatch, keepPerEnvironment, gateOverride, retention);
    }

    /** The same settings with another master scan interval. */
    public ReplicationConfig withMasterScanInterval(Duration interval) {
        return new ReplicationConfig(enabled, pollInterval, heartbeatInterval, maxParallelCopies, maxCopiesPerRegion, retryBackoff,
                maxRetryBackoff, lookback, interval, auditInterval, auditBatch, keepPerEnvironment, gateOverride, retention);
    }

    /** The same settings with another N of {@link #keepPerEnvironment()}. */
    public ReplicationConfig withKeepPerEnvironment(int n) {
        return new ReplicationConfig(enabled, pollInterval, heartbeatInterval, maxParallelCopies, maxCopiesPerRegion, retryBackoff,
                maxRetryBackoff, lookback, masterScanInterval, auditInterval, auditBatch, n, gateOverride, retention);
    }

    /** The same settings with another gate override. */
    public ReplicationConfig withGateOverride(GateOverrideConfig override) {
        return new ReplicationConfig(enabled, pollInterval, heartbeatInterval, maxParallelCopies, maxCopiesPerRegion, retryBackoff,
                maxRetryBackoff, lookback, masterScanInterval, auditInterval, auditBatch, keepPerEnvironment, override, retention);
    }

    /** The same settings with another retention policy. */
    public ReplicationConfig withRetention(RetentionConfig policy) {
        return new ReplicationConfig(enabled, pollInterval, heartbeatInterval, maxParallelCopies, maxCopiesPerRegion, retryBackoff,
                maxRetryBackoff, lookback, masterScanInterval, auditInterval, auditBatch, keepPerEnvironment, gateOverride, policy);
    }
}
