package dev.codedeploy.ghaction;

import dev.codedeploy.ghaction.github.GitHubDeployments;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The action's inputs, read from the environment that {@code action.yml} sets ({@code INPUT_SHA}, ...) and the
 * runner's own variables ({@code GITHUB_REPOSITORY}, ...), each checked. Every bad input is reported, each naming
 * the input and what it accepts. The server checks the request again; these checks only keep a bad input from
 * creating a GitHub deployment.
 *
 * @param sha               the commit
 * @param environment       the environment
 * @param serverUrl         the codedeploy server's URL
 * @param token             the codedeploy API token (a secret)
 * @param waitForRollout    wait until every host runs the build
 * @param timeout           the longest the deploy may take
 * @param cancelBuildOnStop cancel the codedeploy deploy when the workflow is cancelled
 * @param repoUrl           the git repository the workers fetch
 * @param environmentUrl    where the environment can be seen, or null
 * @param github            where GitHub deployment statuses go, or null without a token
 * @param requestedBy       who asks: the deploy's reason, in its history
 */
record ActionInputs(String sha, String environment, URI serverUrl, String token, boolean waitForRollout, Duration timeout,
                    boolean cancelBuildOnStop, String repoUrl, String environmentUrl, GitHubTarget github, String requestedBy) {

    /** The environment variable of each input, as {@code action.yml} passes them. */
    static final String SHA = "INPUT_SHA";
    static final String ENVIRONMENT = "INPUT_ENVIRONMENT";
    static final String SERVER_URL = "INPUT_SERVER_URL";
    static final String TOKEN = "INPUT_TOKEN";
    static final String WAIT_FOR_ROLLOUT = "INPUT_WAIT_FOR_ROLLOUT";
    static final String TIMEOUT_MINUTES = "INPUT_TIMEOUT_MINUTES";
    static final String CANCEL_BUILD_ON_STOP = "INPUT_CANCEL_BUILD_ON_STOP";
    static final String GITHUB_TOKEN = "INPUT_GITHUB_TOKEN";
    static final String REPOSITORY_URL = "INPUT_REPOSITORY_URL";
    static final String ENVIRONMENT_URL = "INPUT_ENVIRONMENT_URL";

    static final int MAX_TIMEOUT_MINUTES = 24 * 60;

    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
    /** As the server's environments: 1 to 63 of a-z, 0-9 and '-', starting with a letter or digit. */
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

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
     * @throws BadInputException listing every bad input, one per line
     */
    static ActionInputs read(Map<String, String> env) {
        Reader r = new Reader(env);
        String sha = r.check("sha", () -> sha(r.required(SHA, "sha", "the full 40-hex commit SHA, by default ${{ github.sha }}")));
        String environment = r.check("environment", () -> environment(r.optional(ENVIRONMENT, "production")));
        URI serverUrl = r.check("server-url", () -> URI.create(r.httpUrl(SERVER_URL, "server-url", true)));
        String token = r.check("token", () -> r.token(TOKEN, "token"));
        Boolean wait = r.check("wait-for-rollout", () -> r.bool(WAIT_FOR_ROLLOUT, "wait-for-rollout", true));
        Duration timeout = r.check("timeout-minutes", () -> r.minutes(TIMEOUT_MINUTES, "timeout-minutes"));
        Boolean cancel = r.check("cancel-build-on-stop", () -> r.bool(CANCEL_BUILD_ON_STOP, "cancel-build-on-stop", false));
        String repoUrl = r.check("repository-url", r::repoUrl);
        String environmentUrl = r.check("environment-url", () -> r.httpUrl(ENVIRONMENT_URL, "environment-url", false));
        GitHubTarget github = r.check("github-token", r::github);
        if (!r.problems.isEmpty()) {
            throw new BadInputException(String.join("\n", r.problems));
        }
        return new ActionInputs(sha, environment, serverUrl, token, wait, timeout, cancel, repoUrl, environmentUrl, github, r.requestedBy());
    }

    /** Without the token. */
    @Override
    public String toString() {
        return "ActionInputs[sha=" + sha + ", environment=" + environment + ", serverUrl=" + serverUrl + ", token=****, waitForRollout="
                + waitForRollout + ", timeout=" + timeout + ", cancelBuildOnStop=" + cancelBuildOnStop + ", repoUrl=" + repoUrl
                + ", environmentUrl=" + environmentUrl + ", github=" + github + ", requestedBy=" + requestedBy + "]";
    }

    private static String sha(String sha) {
        String normalised = sha.toLowerCase(Locale.ROOT);
        if (!FULL_SHA.matcher(normalised).matches()) {
            throw new BadInputException("sha '" + sha + "' is not a commit SHA: expected exactly 40 hex digits (0-9, a-f), got "
                    + sha.length() + " characters; branch names and short SHAs are not accepted");
        }
        return normalised;
    }

    private static String environment(String env) {
        if (!ENVIRONMENT_NAME.matcher(env).matches()) {
            throw new BadInputException("environment '" + env + "' is not valid: 1 to 63 of a-z, 0-9 and '-', starting with a letter or digit");
        }
        return env;
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
            } catch (BadInputException e) {
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
                throw new BadInputException("input '" + input + "' is missing: give " + accepted);
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
                default -> throw new BadInputException("input '" + input + "' is '" + v + "': expected true or false");
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
                throw new BadInputException("input '" + input + "' is '" + v + "': expected a whole number of minutes from 1 to "
                        + MAX_TIMEOUT_MINUTES);
            }
            return Duration.ofMinutes(minutes);
        }

        String repoUrl() {
            String given = value(REPOSITORY_URL);
            if (given != null) {
                if (given.startsWith("-")) {
                    // never an option of a git command, even before the server's own check
                    throw new BadInputException("repository URL '" + given + "' starts with '-': not a URL");
                }
                // the server checks the rest (and which repositories it builds from)
                return given;
            }
            String server = value("GITHUB_SERVER_URL");
            String repository = value("GITHUB_REPOSITORY");
            if (server == null || repository == null) {
                throw new BadInputException("input 'repository-url' is missing and GITHUB_SERVER_URL/GITHUB_REPOSITORY are not set:"
                        + " give the git URL the builders fetch, for example https://github.com/owner/repo.git");
            }
            return stripSlash(server) + "/" + checkRepository(repository) + ".git";
        }

        String httpUrl(String variable, String input, boolean required) {
            String v = required ? required(variable, input, "the codedeploy server's URL, for example https://codedeploy.example.com")
                    : value(variable);
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
            throw new BadInputException("input '" + input + "' is '" + v + "': expected an http:// or https:// URL");
        }

        GitHubTarget github() {
            String token = value(GITHUB_TOKEN);
            if (token == null) {
                return null;
            }
            String repository = value("GITHUB_REPOSITORY");
            if (repository == null) {
                throw new BadInputException("GITHUB_REPOSITORY is not set: deployment statuses need the repository (owner/name);"
                        + " leave github-token empty to post none");
            }
            checkRepository(repository);
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

        String token(String variable, String input) {
            String v = required(variable, input, "a token of the codedeploy server with the deploy scope, from a secret:"
                    + " token: ${{ secrets.CODEDEPLOY_TOKEN }}");
            if (v.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                // the value itself is never repeated
                throw new BadInputException("input '" + input + "' has spaces or characters that cannot go in an HTTP header: give the token alone");
            }
            return v;
        }

        private static String checkRepository(String repository) {
            try {
                return GitHubDeployments.checkRepository(repository);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
        }

        private static String stripSlash(String s) {
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
