package dev.codedeploy.queue;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.config.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A git remote the builder may fetch: {@code https://}, {@code http://}, {@code ssh://}, {@code git://},
 * {@code file://}, or scp-like {@code user@host:path}. Anything that git could read as an option, or that holds
 * whitespace or control characters, is refused; so is a URL that carries credentials ({@code https://user:token@host/…},
 * {@code https://token@host/…}, {@code ssh://user:password@host/…}): it would be logged, passed to builds, shown in CI
 * logs and stored in every release record. Builders get credentials from the worker's {@code ~/.netrc} instead
 * (see docs/build-pipeline.md). An error never repeats the credentials.
 */
public final class RepositoryUrl {

    /** Longest accepted URL, the width of {@code jobs.repo_url}. */
    public static final int MAX_LENGTH = 2048;

    private static final Set<String> SCHEMES = Set.of("https", "http", "ssh", "git", "file");
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+");

    private RepositoryUrl() {
    }

    /**
     * Validates {@code url}.
     *
     * @return the trimmed URL
     * @throws InvalidInputException naming the value and the accepted forms
     */
    public static String validate(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("repository URL is missing: give a git remote such as https://host/org/repo.git");
        }
        String trimmed = url.trim();
        String shown = CommitSha.abbreviate(Redaction.url(trimmed));
        if (trimmed.length() > MAX_LENGTH) {
            throw new InvalidInputException("repository URL is " + trimmed.length() + " characters long: at most " + MAX_LENGTH + " are accepted");
        }
        if (trimmed.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new InvalidInputException("repository URL '" + shown + "' contains whitespace or control characters");
        }
        if (trimmed.startsWith("-")) {
            throw new InvalidInputException("repository URL '" + shown + "' starts with '-': not a URL");
        }
        int at = userInfoEnd(trimmed);
        if (at >= 0 && carriesCredentials(trimmed, at)) {
            int start = trimmed.contains("://") ? trimmed.indexOf("://") + 3 : 0;
            throw new InvalidInputException("repository URL '" + CommitSha.abbreviate(trimmed.substring(0, start) + "***" + trimmed.substring(at))
                    + "' carries credentials"
                    + " (user information before '@'): they would be logged, passed to builds and stored in every release record."
                    + " Give the URL without them and put the credentials in the builder workers' ~/.netrc (see docs/build-pipeline.md)");
        }
        if (SCP_LIKE.matcher(trimmed).matches()) {
            return trimmed;
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("repository URL '" + shown + "' is malformed (" + e.getReason()
                    + "): expected " + acceptedForms());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !SCHEMES.contains(scheme.toLowerCase())) {
            throw new InvalidInputException("repository URL '" + shown + "' has " + (scheme == null ? "no scheme" : "scheme '" + scheme + "'")
                    + ": expected " + acceptedForms());
        }
        if (!"file".equalsIgnoreCase(scheme) && (uri.getHost() == null || uri.getHost().isBlank())) {
            throw new InvalidInputException("repository URL '" + shown + "' has no host: expected " + acceptedForms());
        }
        if (uri.getPath() == null || uri.getPath().isBlank() || "/".equals(uri.getPath())) {
            throw new InvalidInputException("repository URL '" + shown + "' has no repository path: expected " + acceptedForms());
        }
        return trimmed;
    }

    /** The index of the '@' that ends the user information of {@code url}, or -1 when it has none. */
    private static int userInfoEnd(String url) {
        int schemeEnd = url.indexOf("://");
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int end = url.indexOf('/', start);
        return url.lastIndexOf('@', end < 0 ? url.length() : end);
    }

    /** A password in the user information, or any user information in an http(s) URL (a token as user name). */
    private static boolean carriesCredentials(String url, int at) {
        int schemeEnd = url.indexOf("://");
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        return at >= start && (url.substring(start, at).contains(":") || url.toLowerCase(java.util.Locale.ROOT).startsWith("http"));
    }

    private static String acceptedForms() {
        return "https://host/path, http://host/path, ssh://[user@]host/path, git://host/path, file:///path or user@host:path";
    }
}
