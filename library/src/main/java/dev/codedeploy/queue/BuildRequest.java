package dev.codedeploy.queue;

import dev.codedeploy.InvalidInputException;

/**
 * A validated request to build one commit.
 *
 * @param repoUrl     the git remote
 * @param sha         the full commit SHA, lowercase
 * @param requestedBy who asks (a user, a CI job), for the history
 */
public record BuildRequest(String repoUrl, String sha, String requestedBy) {

    /** Longest accepted requester name. */
    public static final int MAX_REQUESTER_LENGTH = 255;

    /**
     * Validates every field.
     *
     * @throws InvalidInputException naming the first bad field, its value and what is accepted
     */
    public BuildRequest {
        repoUrl = RepositoryUrl.validate(repoUrl);
        sha = CommitSha.validate(sha);
        if (requestedBy == null || requestedBy.isBlank()) {
            throw new InvalidInputException("requestedBy is missing: name the user or job that asks for the build");
        }
        requestedBy = requestedBy.trim();
        if (requestedBy.length() > MAX_REQUESTER_LENGTH || requestedBy.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("requestedBy '" + CommitSha.abbreviate(requestedBy) + "' must be at most "
                    + MAX_REQUESTER_LENGTH + " printable characters");
        }
    }
}
