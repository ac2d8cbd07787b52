package dev.codedeploy.ghaction;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.github.GitHubDeployments;
import dev.codedeploy.queue.CommitSha;
import dev.codedeploy.queue.RepositoryUrl;
import dev.codedeploy.release.ZkLayout;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The action's inputs, read from the environment that {@code action.yml} sets ({@code INPUT_SHA}, ...) and the
 * runner's own variables ({@code GITHUB_REPOSITORY}, ...), each checked. Every bad input is reported, each naming
 * the input and what it accepts.
 *
 * @param sha               the commit
 * @param environment       the environment
 * @param config            the {@code config} input: a path or YAML
 * @param waitForRollout    wait until every host runs the build
 * @param timeout           the longest the deploy may take
 * @param cancelBuildOnStop cancel the codedeploy build when the workflow is cancelled
 * @param repoUrl           the git repository the workers fetch
 * @param environmentUrl    where the environment can be seen, or null
 * @param github            where GitHub deployment statuses go, or null without a token
 * @param requestedBy       who asks, for the jobs table
 */
record ActionInputs(String sha, String environment, String config, boolean waitForRollout, Duration timeout,
                    boolean cancelBuildOnStop, String repoUrl, String environmentUrl, GitHubTarget github, String requestedBy) {

    /** The environment variable of each input, as {@code action.yml} passes them. */
    static final String SHA = "INPUT_SHA";
    static final String ENVIRONMENT = "INPUT_ENVIRONMENT";
    static final String CONFIG = "INPUT_CONFIG";
    static final String WAIT_FOR_ROLLOUT = "INPUT_WAIT_FOR_ROLLOUT";
    static final String TIMEOUT_MINUTES = "INPUT_TIMEOUT_MINUTES";
    static final String CANCEL_BUILD_ON_STOP = "INPUT_CANCEL_BUILD_ON_STOP";
    static final String GITHUB_TOKEN = "INPUT_GITHUB_TOKEN";
    static final String REPOSITORY_URL = "INPUT_REPOSITORY_URL";
    static final String ENVIRONMENT_URL = "INPUT_ENVIRONMENT_URL";

    static final int MAX_TIMEOUT_MINUTES = 24 * 60;

    /**
     * Where deployment statuses go.
     *
     * @param apiUrl     the REST API ({@code GITHUB_API_URL})
     * @param token      the token
     * @param repository owner/name ({@code GITHUB_REPOSITORY})
     * @param logUrl     the workflow run, each status links to it
     */
    record GitHubTarget(String apiUrl, String token, String repository, String logUrl) {
        @Override
        public String toString() {
            return "GitHubTarget[apiUrl=" + apiUrl + ", repository=" + repository + "]";
        }
    }

    /**
     * Reads and checks every input.
     *
     * @throws InvalidInputException listing every bad input, one per line
     */
    static ActionInputs read(Map<String, String> env) {
        Reader r = new Reader(env);
        String sha = r.check("sha", () -> CommitSha.validate(r.required(SHA, "sha", "the full 40-hex commit SHA, by default ${{ github.sha }}")));
        String environment = r.check("environment", () -> ZkLayout.checkEnvironment(r.optional(ENVIRONMENT, "production")));
        String config = r.check("config", () -> r.required(CONFIG, "config",
                "the path of the codedeploy YAML configuration (relative to the workspace), or the YAML itself"));
        Boolean wait = r.check("wait-for-rollout", () -> r.bool(WAIT_FOR_ROLLOUT, "wait-for-rollout", true));
        Duration timeout = r.check("timeout-minutes", () -> r.minutes(TIMEOUT_MINUTES, "timeout-minutes"));
        Boolean cancel = r.check("cancel-build-on-stop", () -> r.bool(CANCEL_BUILD_ON_STOP, "cancel-build-on-stop", false));
        String repoUrl = r.check("repository-url", r::repoUrl);
        String environmentUrl = r.check("environment-url", () -> r.httpUrl(ENVIRONMENT_URL, "environment-url"));
        GitHubTarget github = r.check("github-token", r::github);
        if (!r.problems.isEmpty()) {
            throw new InvalidInputException(String.join("\n", r.problems));
        }
        return new ActionInputs(sha, environment, config, wait, timeout, cancel, repoUrl, environmentUrl, github, r.requestedBy());
    }

    /** Reads one variable after another, collecting the problems. */
    private static final class Reader {

        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        <T> T check(String input, Supplier<T> read) {
            try {
                return read.get();
            } catch (InvalidInputException e) {
                String message = e.getMessage();
                problems.add(message.startsWith("input '") ? message : "input '" + input + "': " + message);
                return null;
            }
        }

        String value(String variable) {
            String v = env.get(variable);
            return v == null || v.isBlank() ? null : v.strip();
        }

        String required(String variable, String input, String accepted) {
            String v = value(variable);
            if (v == null) {
                throw new InvalidInputException("input '" + input + "' is missing: give " + accepted);
            }
            return v;
        }

        String optional(String variable, String fallback) {
            String v = value(variable);
            return v == null ? fallback : v;
        }

        boolean bool(String variable, String input, boolean fallback) {
            String v = value(variable);
            if (v == null) {
                return fallback;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new InvalidInputException("input '" + input + "' is '" + v + "': expected true or false");
            };
        }

        Duration minutes(String variable, String input) {
            String v = value(variable);
            if (v == null) {
                return Duration.ofMinutes(30);
            }
            int minutes;
            try {
                minutes = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                minutes = -1;
            }
            if (minutes < 1 || minutes > MAX_TIMEOUT_MINUTES) {
                throw new InvalidInputException("input '" + input + "' is '" + v + "': expected a whole number of minutes from 1 to "
                        + MAX_TIMEOUT_MINUTES);
            }
            return Duration.ofMinutes(minutes);
        }

        String repoUrl() {
            String given = value(REPOSITORY_URL);
            if (given != null) {
                return RepositoryUrl.validate(given);
            }
            String server = value("GITHUB_SERVER_URL");
            String repository = value("GITHUB_REPOSITORY");
            if (server == null || repository == null) {
                throw new InvalidInputException("input 'repository-url' is missing and GITHUB_SERVER_URL/GITHUB_REPOSITORY are not set:"
                        + " give the git URL the builders fetch, for example https://github.com/owner/repo.git");
            }
            return RepositoryUrl.validate(stripSlash(server) + "/" + GitHubDeployments.checkRepository(repository) + ".git");
        }

        String httpUrl(String variable, String input) {
            String v = value(variable);
            if (v == null) {
                return null;
            }
            try {
                URI uri = new URI(v);
                if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                    return v;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new InvalidInputException("input '" + input + "' is '" + v + "': expected an http:// or https:// URL");
        }

        GitHubTarget github() {
            String token = value(GITHUB_TOKEN);
            if (token == null) {
                return null;
            }
            String repository = value("GITHUB_REPOSITORY");
            if (repository == null) {
                throw new InvalidInputException("GITHUB_REPOSITORY is not set: deployment statuses need the repository (owner/name);"
                        + " leave github-token empty to post none");
            }
            GitHubDeployments.checkRepository(repository);
            String server = optional("GITHUB_SERVER_URL", "https://github.com");
            String runId = value("GITHUB_RUN_ID");
            String logUrl = runId == null ? null : stripSlash(server) + "/" + repository + "/actions/runs/" + runId;
            return new GitHubTarget(optional("GITHUB_API_URL", GitHubDeployments.PUBLIC_API), token, repository, logUrl);
        }

        String requestedBy() {
            String repository = optional("GITHUB_REPOSITORY", "?");
            String runId = optional("GITHUB_RUN_ID", "?");
            String actor = value("GITHUB_ACTOR");
            return "github " + repository + " run " + runId + (actor == null ? "" : " by " + actor);
        }

        private static String stripSlash(String s) {
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
