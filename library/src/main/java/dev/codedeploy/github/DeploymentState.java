package dev.codedeploy.github;

import org.kohsuke.github.GHDeploymentState;

/**
 * The state of a GitHub deployment status, as the repository's Environments panel shows it. codedeploy posts
 * {@link #QUEUED} when the build is queued, {@link #IN_PROGRESS} once a worker builds it, then {@link #SUCCESS} or
 * {@link #FAILURE}.
 */
public enum DeploymentState {
    /** Waiting to start. */
    QUEUED(GHDeploymentState.QUEUED, "queued"),
    /** Running. */
    IN_PROGRESS(GHDeploymentState.IN_PROGRESS, "in_progress"),
    /** Deployed. */
    SUCCESS(GHDeploymentState.SUCCESS, "success"),
    /** The deploy failed (a failed build, a failed rollout, a timeout). */
    FAILURE(GHDeploymentState.FAILURE, "failure"),
    /** The deploy could not run (an error of the system rather than of the change). */
    ERROR(GHDeploymentState.ERROR, "error"),
    /** No longer deployed. */
    INACTIVE(GHDeploymentState.INACTIVE, "inactive");

    private final GHDeploymentState library;
    private final String apiName;

    DeploymentState(GHDeploymentState library, String apiName) {
        this.library = library;
        this.apiName = apiName;
    }

    /** The name in GitHub's REST API, for example {@code in_progress}. */
    public String apiName() {
        return apiName;
    }

    GHDeploymentState library() {
        return library;
    }
}
