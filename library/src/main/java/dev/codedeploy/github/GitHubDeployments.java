package dev.codedeploy.github;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.queue.CommitSha;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.kohsuke.github.GHDeployment;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.extras.HttpClientGitHubConnector;

/**
 * GitHub deployments of one repository host (github.com or a GitHub Enterprise server), over {@code org.kohsuke:github-api}:
 * create a deployment of a commit to an environment, then post its statuses (see {@link GitHubDeployment}), which the
 * repository's Environments panel shows.
 *
 * <pre>{@code
 * GitHubDeployments github = GitHubDeployments.connect("https://api.github.com", token);
 * GitHubDeployment d = github.create("shop/app", sha, "staging", "codedeploy build of " + sha, logUrl, null);
 * d.post(DeploymentState.QUEUED, "build queued");
 * }</pre>
 *
 * <p>The REST calls, and no others: {@code GET /repos/{owner}/{repo}}, {@code POST /repos/{owner}/{repo}/deployments}
 * and {@code POST /repos/{owner}/{repo}/deployments/{id}/statuses}, with {@code Authorization: Bearer <token>}. The token needs the permission
 * {@code deployments: write}. A rate limit or an abuse limit fails the call at once rather than waiting: statuses
 * are a report and must not hold up a deploy.
 */
public final class GitHubDeployments {

    /** github.com's REST API. */
    public static final String PUBLIC_API = "https://api.github.com";

    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final GitHub github;
    private final GitHubErrors errors;

    private GitHubDeployments(GitHub github, GitHubErrors errors) {
        this.github = github;
        this.errors = errors;
    }

    /**
     * A client of the REST API at {@code apiUrl} with {@code token}. Nothing is sent yet.
     *
     * @param apiUrl the REST API, {@value #PUBLIC_API} or {@code https://ghe.example.com/api/v3}
     * @param token  a token with the permission deployments: write (in Actions, {@code github.token})
     * @throws InvalidInputException for a blank token or a malformed URL
     */
    public static GitHubDeployments connect(String apiUrl, String token) {
        String url = checkApiUrl(apiUrl);
        if (token == null || token.isBlank()) {
            throw new InvalidInputException("the GitHub token is empty: give a token with the permission deployments: write");
        }
        if (token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new InvalidInputException("the GitHub token contains whitespace or control characters: give the token alone");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            GitHub github = new GitHubBuilder()
                    .withEndpoint(url)
                    // a provider of our own: with withOAuthToken(token) github-api would first GET /user to learn a login
                    .withAuthorizationProvider(() -> "Bearer " + token)
                    .withConnector(new StatusStateConnector(new HttpClientGitHubConnector(http)))
                    .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                    .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
                    .build();
            return new GitHubDeployments(github, new GitHubErrors(url, token));
        } catch (IOException e) {
            throw new GitHubErrors(url, token).translate(e, "connecting", "-");
        }
    }

    /**
     * Creates a deployment of {@code sha} to {@code environment} in {@code repository}. GitHub's merge of the default
     * branch and its check of required status contexts are turned off: the workflow that deploys is itself one of
     * those contexts, still running.
     *
     * @param repository     {@code owner/name}
     * @param sha            the full commit SHA (GitHub must know it: it has been pushed)
     * @param environment    the environment's name in GitHub
     * @param description    a short description (GitHub keeps 140 characters)
     * @param logUrl         where each status links to, for example the workflow run; may be null
     * @param environmentUrl where the deployed environment can be seen; may be null
     * @throws InvalidInputException for a malformed repository name or SHA
     * @throws GitHubException       when GitHub refuses (bad token, unknown repository, missing permission)
     */
    public GitHubDeployment create(String repository, String sha, String environment, String description,
                                   String logUrl, String environmentUrl) {
        checkRepository(repository);
        String commit = CommitSha.validate(sha);
        if (environment == null || environment.isBlank()) {
            throw new InvalidInputException("the GitHub environment is empty: give a name such as production");
        }
        String doing = "creating a deployment of " + commit + " to " + environment;
        try {
            GHRepository repo = github.getRepository(repository);
            GHDeployment deployment = repo.createDeployment(commit)
                    .environment(environment)
                    .description(shorten(description))
                    .task("deploy")
                    .autoMerge(false)
                    .requiredContexts(List.of())
                    .create();
            return new GitHubDeployment(deployment, repository, environment, logUrl, environmentUrl, errors);
        } catch (IOException e) {
            throw errors.translate(e, doing, repository);
        }
    }

    /** Checks {@code owner/name}. */
    public static String checkRepository(String repository) {
        if (repository == null || !REPOSITORY.matcher(repository).matches()) {
            throw new InvalidInputException("GitHub repository '" + repository + "' is not valid: expected owner/name"
                    + " (letters, digits and '-' for the owner; letters, digits, '.', '_' and '-' for the name)");
        }
        return repository;
    }

    private static String checkApiUrl(String apiUrl) {
        String url = apiUrl == null || apiUrl.isBlank() ? PUBLIC_API : apiUrl.trim();
        try {
            URI uri = new URI(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidInputException("GitHub API URL '" + url + "' is not valid: expected " + PUBLIC_API
                        + " or https://your-server/api/v3");
            }
        } catch (URISyntaxException e) {
            throw new InvalidInputException("GitHub API URL '" + url + "' is malformed (" + e.getReason() + "): expected "
                    + PUBLIC_API + " or https://your-server/api/v3");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static String shorten(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= 140 ? text : text.substring(0, 139) + "…";
    }
}
