package dev.codedeploy.ghaction;

import dev.codedeploy.DeployEvent;
import dev.codedeploy.DeployStage;
import dev.codedeploy.github.DeploymentState;
import dev.codedeploy.github.GitHubDeployment;
import dev.codedeploy.github.GitHubDeployments;
import dev.codedeploy.github.GitHubException;

/**
 * The GitHub deployment of this run and its statuses: {@code queued} when the build is queued, {@code in_progress}
 * at each later stage (building, replicating, publishing, rolling out: the Environments panel shows the newest), then
 * {@code success} or {@code failure}. Creating the deployment must work
 * (a bad token or an unknown repository stops the run before anything is queued); a status that GitHub refuses later
 * only warns, since the deploy itself goes on regardless.
 */
final class DeploymentStatuses {

    private final GitHubDeployment deployment;
    private final WorkflowCommands log;
    private DeployStage lastStage;

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
     * @throws GitHubException when GitHub refuses (the message says why, without the token)
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
        DeployStage stage = event.stage();
        if (stage.isFinal() || stage == lastStage) {
            return;
        }
        lastStage = stage;
        post(stage == DeployStage.QUEUED ? DeploymentState.QUEUED : DeploymentState.IN_PROGRESS, event.message());
    }

    /** The final status. */
    void finish(boolean succeeded, String description) {
        post(succeeded ? DeploymentState.SUCCESS : DeploymentState.FAILURE, description);
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
