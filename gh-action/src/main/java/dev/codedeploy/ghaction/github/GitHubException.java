package dev.codedeploy.ghaction.github;

/**
 * GitHub refused a call or could not be reached. The message says what was asked, what GitHub answered and what to
 * change; it never holds the token.
 */
public class GitHubException extends RuntimeException {

    private final int statusCode;

    /** An error with GitHub's HTTP status, or -1 when GitHub did not answer. */
    public GitHubException(String message, int statusCode) {
        super(message);
        this.statusCode = statusCode;
    }

    /** GitHub's HTTP status (401, 403, 404, 422, ...), or -1 when it did not answer. */
    public int statusCode() {
        return statusCode;
    }
}
