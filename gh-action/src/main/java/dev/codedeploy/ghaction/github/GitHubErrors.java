package dev.codedeploy.ghaction.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Turns GitHub's refusals and unreachability into {@link GitHubException}s that say what to change, without the token. */
final class GitHubErrors {

    private final String apiUrl;
    private final String token;

    GitHubErrors(String apiUrl, String token) {
        this.apiUrl = apiUrl;
        this.token = token;
    }

    /**
     * @param status     GitHub's HTTP status
     * @param body       its answer
     * @param doing      what was asked, for example "creating a deployment of abc123 to staging"
     * @param repository owner/name
     */
    GitHubException refused(int status, String body, String doing, String repository) {
        String answer = githubMessage(body);
        String message = switch (status) {
            case 401 -> "GitHub rejected the token while " + doing + " (401 " + orDefault(answer, "Bad credentials")
                    + "): give a valid token with the permission deployments: write";
            case 403 -> "GitHub refused " + doing + " in " + repository + " (403 " + orDefault(answer, "Forbidden")
                    + "): the token needs the permission deployments: write (workflow: permissions: deployments: write)";
            case 404 -> "repository " + repository + " was not found at " + apiUrl + " while " + doing
                    + ", or the token cannot see it (404): check the repository name and the token's access";
            case 409, 422 -> "GitHub rejected " + doing + " in " + repository + " (" + status + " " + orDefault(answer, "Unprocessable") + ")";
            default -> "GitHub answered " + status + " while " + doing + " in " + repository + ": " + orDefault(answer, "no message");
        };
        return new GitHubException(redact(message), status);
    }

    /** GitHub did not answer. */
    GitHubException unreachable(IOException e, String doing) {
        return new GitHubException(redact("cannot reach GitHub at " + apiUrl + " while " + doing + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage().lines().findFirst().orElse(""))), -1);
    }

    /** Removes the token from any text, in case a proxy or a server echoes it. */
    private String redact(String text) {
        return token == null || token.isEmpty() ? text : text.replace(token, "***");
    }

    /** The "message" (and the first error's "message") of GitHub's JSON error body, if it is one. */
    private static String githubMessage(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode body = GitHubDeployments.JSON.readTree(text);
            String message = body.path("message").asText(null);
            JsonNode first = body.path("errors").path(0);
            String detail = first.isTextual() ? first.asText() : first.path("message").asText(null);
            if (message == null) {
                return detail;
            }
            return detail == null || detail.isBlank() ? message : message + ": " + detail;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String orDefault(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }
}
