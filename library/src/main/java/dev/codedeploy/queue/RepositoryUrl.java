package dev.codedeploy.queue;

import dev.codedeploy.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A git remote the builder may fetch: {@code https://}, {@code http://}, {@code ssh://}, {@code git://},
 * {@code file://}, or scp-like {@code user@host:path}. Anything that git could read as an option, or that holds
 * whitespace or control characters, is refused.
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
        if (trimmed.length() > MAX_LENGTH) {
            throw new InvalidInputException("repository URL is " + trimmed.length() + " characters long: at most " + MAX_LENGTH + " are accepted");
        }
        if (trimmed.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new InvalidInputException("repository URL '" + CommitSha.abbreviate(trimmed) + "' contains whitespace or control characters");
        }
        if (trimmed.startsWith("-")) {
            throw new InvalidInputException("repository URL '" + CommitSha.abbreviate(trimmed) + "' starts with '-': not a URL");
        }
        if (SCP_LIKE.matcher(trimmed).matches()) {
            return trimmed;
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("repository URL '" + CommitSha.abbreviate(trimmed) + "' is malformed (" + e.getReason()
                    + "): expected " + acceptedForms());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !SCHEMES.contains(scheme.toLowerCase())) {
            throw new InvalidInputException("repository URL '" + CommitSha.abbreviate(trimmed) + "' has " + (scheme == null ? "no scheme" : "scheme '" + scheme + "'")
                    + ": expected " + acceptedForms());
        }
        if (!"file".equalsIgnoreCase(scheme) && (uri.getHost() == null || uri.getHost().isBlank())) {
            throw new InvalidInputException("repository URL '" + CommitSha.abbreviate(trimmed) + "' has no host: expected " + acceptedForms());
        }
        if (uri.getPath() == null || uri.getPath().isBlank() || "/".equals(uri.getPath())) {
            throw new InvalidInputException("repository URL '" + CommitSha.abbreviate(trimmed) + "' has no repository path: expected " + acceptedForms());
        }
        return trimmed;
    }

    private static String acceptedForms() {
        return "https://host/path, http://host/path, ssh://[user@]host/path, git://host/path, file:///path or user@host:path";
    }
}
