package dev.codedeploy.ghaction.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * GitHub deployments of one repository host (github.com or a GitHub Enterprise server), over {@code java.net.http}:
 * create a deployment of a commit to an environment, then post its statuses (see {@link GitHubDeployment}), which the
 * repository's Environments panel shows.
 *
 * <pre>{@code
 * GitHubDeployments github = GitHubDeployments.connect("https://api.github.com", token);
 * GitHubDeployment d = github.create("shop/app", sha, "staging", "codedeploy of " + sha, logUrl, null);
 * d.post(DeploymentState.QUEUED, "deploy requested");
 * }</pre>
 *
 * <p>The REST calls, and no others: {@code GET /repos/{owner}/{repo}}, {@code POST /repos/{owner}/{repo}/deployments}
 * and {@code POST /repos/{owner}/{repo}/deployments/{id}/statuses}, with {@code Authorization: Bearer <token>}. The
 * token needs the permission {@code deployments: write}. A rate limit fails the call at once rather than waiting:
 * statuses are a report and must not hold up a deploy.
 */
public final class GitHubDeployments {

    /** github.com's REST API. */
    public static final String PUBLIC_API = "https://api.github.com";

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}");
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String apiUrl;
    private final String token;
    private final HttpClient http;

    private GitHubDeployments(String apiUrl, String token) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A client of the REST API at {@code apiUrl} with {@code token}. Nothing is sent yet.
     *
     * @param apiUrl the REST API, {@value #PUBLIC_API} or {@code https://ghe.example.com/api/v3}
     * @param token  a token with the permission deployments: write (in Actions, {@code github.token})
     * @throws IllegalArgumentException for a blank token or a malformed URL
     */
    public static GitHubDeployments connect(String apiUrl, String token) {
        String url = checkApiUrl(apiUrl);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the GitHub token is empty: give a token with the permission deployments: write");
        }
        if (token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("the GitHub token contains whitespace or control characters: give the token alone");
        }
        return new GitHubDeployments(url, token);
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
     * @throws IllegalArgumentException for a malformed repository name or SHA, or an empty environment
     * @throws GitHubException          when GitHub refuses (bad token, unknown repository, missing permission)
     */
    public GitHubDeployment create(String repository, String sha, String environment, String description, String logUrl,
                                   String environmentUrl) {
        checkRepository(repository);
        if (sha == null || !SHA.matcher(sha.strip()).matches()) {
            throw new IllegalArgumentException("sha '" + sha + "' is not a commit SHA: expected exactly 40 hex digits");
        }
        if (environment == null || environment.isBlank()) {
            throw new IllegalArgumentException("the GitHub environment is empty: give a name such as production");
        }
        String commit = sha.strip().toLowerCase(java.util.Locale.ROOT);
        String doing = "creating a deployment of " + commit + " to " + environment;
        // the repository first: a 404 here says the repository (or the token's view of it) is wrong, not the commit
        call("GET", "/repos/" + repository, null, doing, repository);
        ObjectNode body = JSON.createObjectNode().put("ref", commit).put("environment", environment)
                .put("description", shorten(description)).put("task", "deploy").put("auto_merge", false);
        body.putArray("required_contexts");
        JsonNode created = call("POST", "/repos/" + repository + "/deployments", body, doing, repository);
        if (!created.path("id").canConvertToLong()) {
            throw new GitHubException("GitHub answered " + doing + " in " + repository + " without a deployment id", 200);
        }
        return new GitHubDeployment(this, created.path("id").asLong(), repository, logUrl, environmentUrl);
    }

    /** Sends one call; the answer's JSON, or a {@link GitHubException} that says what to change. */
    JsonNode call(String method, String path, JsonNode body, String doing, String repository) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw errors().unreachable(e, doing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException("interrupted while " + doing, -1);
        }
        if (response.statusCode() >= 300) {
            throw errors().refused(response.statusCode(), response.body(), doing, repository);
        }
        try {
            return response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new GitHubException("GitHub answered " + doing + " with a body that is not JSON", response.statusCode());
        }
    }

    private GitHubErrors errors() {
        return new GitHubErrors(apiUrl, token);
    }

    /** Checks {@code owner/name}. */
    public static String checkRepository(String repository) {
        if (repository == null || !REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("GitHub repository '" + repository + "' is not valid: expected owner/name"
                    + " (letters, digits and '-' for the owner; letters, digits, '.', '_' and '-' for the name)");
        }
        return repository;
    }

    private static String checkApiUrl(String apiUrl) {
        String url = apiUrl == null || apiUrl.isBlank() ? PUBLIC_API : apiUrl.trim();
        try {
            URI uri = new URI(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("GitHub API URL '" + url + "' is not valid: expected " + PUBLIC_API
                        + " or https://your-server/api/v3");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("GitHub API URL '" + url + "' is malformed (" + e.getReason() + "): expected "
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
