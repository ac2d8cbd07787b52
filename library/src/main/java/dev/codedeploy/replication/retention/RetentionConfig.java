package dev.codedeploy.replication.retention;

import dev.codedeploy.replication.ReplicationConfig;
import dev.codedeploy.replication.Settings;
import java.time.Duration;

/**
 * Which builds retention deletes from the master and regional stores. It keeps the builds that can still be deployed
 * ({@link ReplicationConfig#keepPerEnvironment()}), every build deployed within {@code keepDeployedWithin}, every build
 * younger than {@code keepNewerThan}, and every build that a region still runs or is about to; it deletes the other
 * COMPLETED builds. Off by default.
 *
 * @param enabled            run retention in this process
 * @param keepDeployedWithin D: keep anything deployed in the last D (default 30 d)
 * @param keepNewerThan      keep builds that finished within this time, deployed or not (default 1 d)
 * @param interval           how often a pass runs (default 1 h)
 * @param maxPerPass         builds removed per pass at most (default 100)
 */
public record RetentionConfig(boolean enabled, Duration keepDeployedWithin, Duration keepNewerThan, Duration interval, int maxPerPass) {

    /** No retention. */
    public static final RetentionConfig OFF = new RetentionConfig(false, null, null, null, 0);

    public RetentionConfig {
        keepDeployedWithin = Settings.zeroOrPositive(keepDeployedWithin, Duration.ofDays(30), "replication.retention.keepDeployedWithin");
        keepNewerThan = Settings.zeroOrPositive(keepNewerThan, Duration.ofDays(1), "replication.retention.keepNewerThan");
        interval = Settings.positive(interval, Duration.ofHours(1), "replication.retention.interval");
        maxPerPass = Settings.positive(maxPerPass, 100, "replication.retention.maxPerPass");
    }
}
