package dev.codedeploy.ghaction.github;

/**
 * The state of a GitHub deployment status, as the repository's Environments panel shows it. The action posts
 * {@link #QUEUED} when the deploy is requested, {@link #IN_PROGRESS} at each later stage, then {@link #SUCCESS},
 * {@link #FAILURE} or {@link #ERROR}.
 */
public enum DeploymentState {
    /** Waiting to start. */
    QUEUED("queued"),
    /** Running. */
    IN_PROGRESS("in_progress"),
    /** Deployed. */
    SUCCESS("success"),
    /** The change failed (its build or its rollout). */
    FAILURE("failure"),
    /** The deploy could not finish (an error of the system rather than of the change, a timeout, a cancellation). */
    ERROR("error"),
    /** No longer deployed. */
    INACTIVE("inactive");

    private final String apiName;

    DeploymentState(String apiName) {
        this.apiName = apiName;
    }

    /** The name in GitHub's REST API, for example {@code in_progress}. */
    public String apiName() {
        return apiName;
    }
}
