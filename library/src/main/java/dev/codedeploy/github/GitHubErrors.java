package dev.codedeploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.kohsuke.github.HttpException;

/** Turns github-api's IOExceptions into {@link GitHubException}s that say what to change, without the token. */
final class GitHubErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiUrl;
    private final String token;

    GitHubErrors(String apiUrl, String token) {
        this.apiUrl = apiUrl;
        this.token = token;
    }

    /**
     * @param e          what github-api threw
     * @param doing      what was asked, for example "creating a deployment of abc123 to staging"
     * @param repository owner/name
     */
    GitHubException translate(IOException e, String doing, String repository) {
        int status = e instanceof HttpException h ? h.getResponseCode() : e instanceof FileNotFoundException ? 404 : -1;
        String answer = githubMessage(e.getMessage());
        String message = switch (status) {
            case 401 -> "GitHub rejected the token while " + doing + " (401 " + orDefault(answer, "Bad credentials")
                    + "): give a valid token with the permission deployments: write";
            case 403 -> "GitHub refused " + doing + " in " + repository + " (403 " + orDefault(answer, "Forbidden")
                    + "): the token needs the permission deployments: write (workflow: permissions: deployments: write)";
            case 404 -> "repository " + repository + " was not found at " + apiUrl + " while " + doing
                    + ", or the token cannot see it (404): check the repository name and the token's access";
            case 409, 422 -> "GitHub rejected " + doing + " in " + repository + " (" + status + " " + orDefault(answer, "Unprocessable")
                    + ")";
            case -1 -> "cannot reach GitHub at " + apiUrl + " while " + doing + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + firstLine(e.getMessage()));
            default -> "GitHub answered " + status + " while " + doing + " in " + repository + ": " + orDefault(answer, "no message");
        };
        return new GitHubException(redact(message), status);
    }

    /** Removes the token from any text, in case a proxy or a server echoes it. */
    String redact(String text) {
        return token == null || token.isEmpty() || text == null ? text : text.replace(token, "***");
    }

    /** The "message" (and the first error's "message") of GitHub's JSON error body, if the text holds one. */
    private static String githubMessage(String text) {
        if (text == null) {
            return null;
        }
        int start = text.indexOf('{');
        if (start < 0) {
            return null;
        }
        try {
            JsonNode body = JSON.readTree(text.substring(start));
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

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
