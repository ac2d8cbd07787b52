package dev.codedeploy.ghaction.github;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One deployment created by {@link GitHubDeployments#create}: post its statuses as the deploy moves on. Each status
 * carries the deployment's log URL and environment URL.
 */
public final class GitHubDeployment {

    private final GitHubDeployments github;
    private final long id;
    private final String repository;
    private final String logUrl;
    private final String environmentUrl;

    GitHubDeployment(GitHubDeployments github, long id, String repository, String logUrl, String environmentUrl) {
        this.github = github;
        this.id = id;
        this.repository = repository;
        this.logUrl = logUrl;
        this.environmentUrl = environmentUrl;
    }

    /** GitHub's id of the deployment. */
    public long id() {
        return id;
    }

    /** The repository, {@code owner/name}. */
    public String repository() {
        return repository;
    }

    /**
     * Posts a status: {@code POST /repos/{owner}/{repo}/deployments/{id}/statuses}.
     *
     * @param state       the new state
     * @param description a short description (GitHub keeps 140 characters)
     * @throws GitHubException when GitHub refuses or cannot be reached
     */
    public void post(DeploymentState state, String description) {
        ObjectNode body = GitHubDeployments.JSON.createObjectNode().put("state", state.apiName())
                .put("description", GitHubDeployments.shorten(description));
        if (logUrl != null) {
            body.put("log_url", logUrl);
        }
        if (environmentUrl != null) {
            body.put("environment_url", environmentUrl);
        }
        github.call("POST", "/repos/" + repository + "/deployments/" + id + "/statuses", body,
                "posting the status " + state.apiName() + " of deployment " + id, repository);
    }
}
