package dev.codedeploy.client;

/**
 * The body of {@code POST /api/v1/deploys}.
 *
 * @param sha            the full 40-hex commit SHA (required)
 * @param environment    the environment (default: the server's {@code defaults.environment})
 * @param repository     the repository URL (default: the server's {@code defaults.repoUrl})
 * @param reason         why, for the history (optional)
 * @param timeoutSeconds how long the deploy may take before it fails (default: the server's {@code deploys.timeout})
 */
public record CreateDeploy(String sha, String environment, String repository, String reason, Long timeoutSeconds) {

    /** A deploy of {@code sha} with the server's defaults. */
    public static CreateDeploy of(String sha) {
        return new CreateDeploy(sha, null, null, null, null);
    }

    /** The same to {@code env}. */
    public CreateDeploy withEnvironment(String env) {
        return new CreateDeploy(sha, env, repository, reason, timeoutSeconds);
    }

    /** The same from {@code url}. */
    public CreateDeploy withRepository(String url) {
        return new CreateDeploy(sha, environment, url, reason, timeoutSeconds);
    }

    /** The same with a reason. */
    public CreateDeploy withReason(String why) {
        return new CreateDeploy(sha, environment, repository, why, timeoutSeconds);
    }

    /** The same with a deadline {@code seconds} after the request. */
    public CreateDeploy withTimeoutSeconds(Long seconds) {
        return new CreateDeploy(sha, environment, repository, reason, seconds);
    }
}
