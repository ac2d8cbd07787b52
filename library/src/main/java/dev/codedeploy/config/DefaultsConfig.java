package dev.codedeploy.config;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.queue.RepositoryUrl;
import dev.codedeploy.release.ZkLayout;

/**
 * What a deploy uses when its caller does not say: the {@code defaults:} section.
 *
 * @param environment the environment (default {@code production})
 * @param repoUrl     the repository, or null (then every caller must give one)
 */
public record DefaultsConfig(String environment, String repoUrl) {

    /** {@code production}, no repository. */
    public static final DefaultsConfig NONE = new DefaultsConfig(null, null);

    public DefaultsConfig {
        environment = environment == null || environment.isBlank() ? "production" : environment;
        try {
            ZkLayout.checkEnvironment(environment);
            if (repoUrl != null) {
                repoUrl = RepositoryUrl.validate(repoUrl);
            }
        } catch (InvalidInputException e) {
            throw new ConfigException("defaults: " + e.getMessage());
        }
    }
}
