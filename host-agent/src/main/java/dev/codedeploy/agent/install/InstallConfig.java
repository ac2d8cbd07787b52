package dev.codedeploy.agent.install;

import dev.codedeploy.config.ConfigException;

/**
 * How the agent keeps releases on disk, section {@code install} of its configuration.
 *
 * @param keepReleases releases kept unpacked besides {@code current} and {@code previous} (default 3)
 * @param reserveMb    free space, in MiB, that a download must leave on the disk (default 512)
 * @param maxEntries   the most entries an archive may hold (default 1,000,000); more is refused for good
 */
public record InstallConfig(Integer keepReleases, Long reserveMb, Integer maxEntries) {

    /** The default limit on archive entries: far above a real application, far below what exhausts a file system's inodes. */
    public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

    public InstallConfig {
        keepReleases = keepReleases == null ? 3 : keepReleases;
        reserveMb = reserveMb == null ? 512L : reserveMb;
        maxEntries = maxEntries == null ? DEFAULT_MAX_ENTRIES : maxEntries;
        if (keepReleases < 0 || reserveMb < 0) {
            throw new ConfigException("install.keepReleases and install.reserveMb cannot be negative");
        }
        if (maxEntries < 1) {
            throw new ConfigException("install.maxEntries must be at least 1, got " + maxEntries);
        }
    }

    /** Settings with the default entry limit. */
    public InstallConfig(Integer keepReleases, Long reserveMb) {
        this(keepReleases, reserveMb, null);
    }

    /** The defaults. */
    public static InstallConfig defaults() {
        return new InstallConfig(null, null, null);
    }

    /** The reserve in bytes. */
    public long reserveBytes() {
        return reserveMb << 20;
    }
}
