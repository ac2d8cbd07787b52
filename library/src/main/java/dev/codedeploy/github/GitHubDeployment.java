package dev.codedeploy.github;

import java.io.IOException;
import org.kohsuke.github.GHDeployment;
import org.kohsuke.github.GHDeploymentStatusBuilder;

/**
 * One deployment created by {@link GitHubDeployments#create}: post its statuses as the deploy moves on. Each status
 * carries the deployment's log URL and environment URL.
 */
public final class GitHubDeployment {

    private final GHDeployment deployment;
    private final String repository;
    private final String environment;
    private final String logUrl;
    private final String environmentUrl;
    private final GitHubErrors errors;

    GitHubDeployment(GHDeployment deployment, String repository, String environment, String logUrl, String environmentUrl,
                     GitHubErrors errors) {
        this.deployment = deployment;
        this.repository = repository;
        this.environment = environment;
        this.logUrl = logUrl;
        this.environmentUrl = environmentUrl;
        this.errors = errors;
    }

    /** GitHub's id of the deployment. */
    public long id() {
        return deployment.getId();
    }

    /** The repository, {@code owner/name}. */
    public String repository() {
        return repository;
    }

    /** The environment. */
    public String environment() {
        return environment;
    }

    /**
     * Posts a status.
     *
     * @param state       the new state
     * @param description a short description (GitHub keeps 140 characters)
     * @throws GitHubException when GitHub refuses or cannot be reached
     */
    // github-api still marks log_url and environment_url deprecated from their preview days; GitHub's API has them
    @SuppressWarnings("deprecation")
    public void post(DeploymentState state, String description) {
        GHDeploymentStatusBuilder status = deployment.createStatus(state.library())
                .description(GitHubDeployments.shorten(description));
        if (logUrl != null) {
            status.logUrl(logUrl);
        }
        if (environmentUrl != null) {
            status.environmentUrl(environmentUrl);
        }
        try {
            status.create();
        } catch (IOException e) {
            throw errors.translate(e, "posting the status " + state.apiName() + " of deployment " + id(), repository);
        }
    }
}
