package dev.codedeploy.ghaction;

import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.StageTiming;
import dev.codedeploy.ghaction.github.DeploymentState;
import dev.codedeploy.ghaction.github.GitHubDeployment;
import dev.codedeploy.ghaction.github.GitHubDeployments;
import dev.codedeploy.ghaction.github.GitHubException;

/**
 * The GitHub deployment of this run and its statuses: {@code queued} while the deploy waits for its build,
 * {@code in_progress} at each later stage (building, replicating, publishing, rolling out: the Environments panel
 * shows the newest), then {@code success}, {@code failure} (the change failed: its build or its rollout) or
 * {@code error} (the deploy could not finish: a system error, a timeout, a cancellation, a newer deploy). Creating the
 * deployment must work (a bad token or an unknown repository stops the run before anything is requested); a status
 * that GitHub refuses later only warns, since the deploy itself goes on regardless.
 */
final class DeploymentStatuses {

    private final GitHubDeployment deployment;
    private final WorkflowCommands log;
    private StageTiming.Stage lastStage;

    private DeploymentStatuses(GitHubDeployment deployment, WorkflowCommands log) {
        this.deployment = deployment;
        this.log = log;
    }

    /** No statuses: the run has no token. */
    static DeploymentStatuses none(WorkflowCommands log) {
        return new DeploymentStatuses(null, log);
    }

    /**
     * Creates the deployment of {@code inputs.sha()} to {@code inputs.environment()}.
     *
     * @throws GitHubException          when GitHub refuses (the message says why, without the token)
     * @throws IllegalArgumentException for a malformed GitHub token
     */
    static DeploymentStatuses create(ActionInputs inputs, WorkflowCommands log) {
        ActionInputs.GitHubTarget target = inputs.github();
        GitHubDeployment deployment = GitHubDeployments.connect(target.apiUrl(), target.token())
                .create(target.repository(), inputs.sha(), inputs.environment(),
                        "codedeploy of " + inputs.sha().substring(0, 7) + " to " + inputs.environment(),
                        target.logUrl(), inputs.environmentUrl());
        log.line("GitHub deployment " + deployment.id() + " of " + inputs.sha() + " to " + inputs.environment() + " in "
                + target.repository());
        return new DeploymentStatuses(deployment, log);
    }

    /** The deployment's id, or null without one. */
    Long id() {
        return deployment == null ? null : deployment.id();
    }

    /** Moves the status along with the deploy's progress: one status per stage, with the stage's first message. */
    void onEvent(DeployEvent event) {
        StageTiming.Stage stage = event.stage();
        if (stage == null || event.state().isFinal() || stage == lastStage) {
            return;
        }
        lastStage = stage;
        post(stage == StageTiming.Stage.QUEUED ? DeploymentState.QUEUED : DeploymentState.IN_PROGRESS, event.message());
    }

    /** The final status: {@code success}, {@code failure} or {@code error}. */
    void finish(DeploymentState state, String description) {
        post(state, description);
    }

    /**
     * The final state for a run that ended with {@code status}: a failed build or rollout is the change's
     * {@code failure}; a timeout, a cancellation or a newer deploy says nothing about the change, so it is an
     * {@code error}, as is anything that kept the deploy from running ({@code ERROR}).
     */
    static DeploymentState finalState(String status) {
        return switch (status) {
            case "SUCCEEDED" -> DeploymentState.SUCCESS;
            case "FAILED" -> DeploymentState.FAILURE;
            default -> DeploymentState.ERROR;
        };
    }

    private void post(DeploymentState state, String description) {
        if (deployment == null) {
            return;
        }
        try {
            deployment.post(state, description);
        } catch (GitHubException e) {
            log.warning("GitHub deployment status " + state.apiName() + " not posted: " + e.getMessage());
        }
    }
}
