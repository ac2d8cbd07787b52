package dev.codedeploy.agent.install;

import dev.codedeploy.config.ConfigException;

/**
 * How the agent keeps releases on disk, section {@code install} of its configuration.
 *
 * @param keepReleases releases kept unpacked besides {@code current} and {@code previous} (default 3)
 * @param reserveMb    free space, in MiB, that a download must leave on the disk (default 512)
 */
public record InstallConfig(Integer keepReleases, Long reserveMb) {

    public InstallConfig {
        keepReleases = keepReleases == null ? 3 : keepReleases;
        reserveMb = reserveMb == null ? 512L : reserveMb;
        if (keepReleases < 0 || reserveMb < 0) {
            throw new ConfigException("install.keepReleases and install.reserveMb cannot be negative");
        }
    }

    /** The defaults. */
    public static InstallConfig defaults() {
        return new InstallConfig(null, null);
    }

    /** The reserve in bytes. */
    public long reserveBytes() {
        return reserveMb << 20;
    }
}
