package dev.codedeploy;

import java.time.Duration;

/**
 * What {@link CodeDeploy#deploy(DeployRequest)} should do. Build one with {@link #of(String)} and the {@code with*}
 * methods.
 *
 * @param sha               the full 40-hex commit SHA
 * @param environment       the environment to deploy to (null: the configured default)
 * @param repoUrl           the repository (null: the configured default)
 * @param requestedBy       who asks, recorded in the history
 * @param waitForRollout    wait until every host is healthy; false returns once the release is published
 * @param timeout           the longest the whole call may take
 * @param cancelBuildOnStop when the caller stops waiting (interrupt, timeout), also cancel the queued or running build
 * @param listener          receives progress
 */
public record DeployRequest(String sha, String environment, String repoUrl, String requestedBy, boolean waitForRollout,
                            Duration timeout, boolean cancelBuildOnStop, DeployListener listener) {

    /** Thirty minutes: the budget from commit to production. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    public DeployRequest {
        requestedBy = requestedBy == null || requestedBy.isBlank() ? System.getProperty("user.name", "unknown") : requestedBy;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        listener = listener == null ? DeployListener.NONE : listener;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidInputException("timeout must be positive, got " + timeout);
        }
    }

    /** Deploys {@code sha} to the default environment from the default repository, waiting for the rollout. */
    public static DeployRequest of(String sha) {
        return new DeployRequest(sha, null, null, null, true, null, false, null);
    }

    /** The same request for another environment. */
    public DeployRequest withEnvironment(String env) {
        return new DeployRequest(sha, env, repoUrl, requestedBy, waitForRollout, timeout, cancelBuildOnStop, listener);
    }

    /** The same request from another repository. */
    public DeployRequest withRepoUrl(String url) {
        return new DeployRequest(sha, environment, url, requestedBy, waitForRollout, timeout, cancelBuildOnStop, listener);
    }

    /** The same request by another requester. */
    public DeployRequest withRequestedBy(String who) {
        return new DeployRequest(sha, environment, repoUrl, who, waitForRollout, timeout, cancelBuildOnStop, listener);
    }

    /** The same request, waiting for the rollout or not. */
    public DeployRequest withWaitForRollout(boolean wait) {
        return new DeployRequest(sha, environment, repoUrl, requestedBy, wait, timeout, cancelBuildOnStop, listener);
    }

    /** The same request with another timeout. */
    public DeployRequest withTimeout(Duration t) {
        return new DeployRequest(sha, environment, repoUrl, requestedBy, waitForRollout, t, cancelBuildOnStop, listener);
    }

    /** The same request, cancelling the build or not when the caller stops waiting. */
    public DeployRequest withCancelBuildOnStop(boolean cancel) {
        return new DeployRequest(sha, environment, repoUrl, requestedBy, waitForRollout, timeout, cancel, listener);
    }

    /** The same request with a progress listener. */
    public DeployRequest withListener(DeployListener l) {
        return new DeployRequest(sha, environment, repoUrl, requestedBy, waitForRollout, timeout, cancelBuildOnStop, l);
    }
}
