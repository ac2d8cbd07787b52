package dev.codedeploy.deploys;

import dev.codedeploy.client.DeployState;
import java.time.Instant;

/**
 * One row of {@code deploys}, with what the views need from its job and the database clock's time of the read.
 * Times come from the database clock.
 *
 * @param id              the deploy id
 * @param environment     the environment
 * @param sha             the commit
 * @param repoUrl         the repository
 * @param requestedBy     the requester (a token's name)
 * @param reason          why, or null
 * @param state           where it is
 * @param jobId           its build job, once known
 * @param ownJob          it queued that job itself
 * @param releaseVersion  the release version it published
 * @param auditCursor     the last audit row read for its rollout's outcome
 * @param supersededBy    the newer deploy that superseded it
 * @param cancelRequested a cancel is pending
 * @param cancelledBy     who asked to cancel
 * @param timedOut        it failed at its deadline
 * @param error           why it failed, or null
 * @param message         its newest progress line
 * @param regions         per-region counts as JSON, or null
 * @param createdAt       requested
 * @param updatedAt       last change
 * @param deadlineAt      when it fails if not finished
 * @param buildingAt      entered BUILDING
 * @param replicatingAt   entered REPLICATING
 * @param publishingAt    entered PUBLISHING
 * @param rollingOutAt    entered ROLLING_OUT
 * @param finishedAt      reached a final state
 * @param attempt         claims so far: the fencing token
 * @param conductor       the conductor holding it
 * @param leaseUntil      its lease's end
 * @param jobStatus       its job's status, or null
 * @param jobStartedAt    when its job's current attempt started, or null
 * @param artifactSha256  its build's sha256, or null
 * @param artifactSize    its build's size, or null
 * @param lastEventId     its newest event's id (0 when none)
 * @param readAt          the database clock at the read
 */
record DeployRow(long id, String environment, String sha, String repoUrl, String requestedBy, String reason, DeployState state,
                 Long jobId, boolean ownJob, Long releaseVersion, Long auditCursor, Long supersededBy, boolean cancelRequested,
                 String cancelledBy, boolean timedOut, String error, String message, String regions, Instant createdAt,
                 Instant updatedAt, Instant deadlineAt, Instant buildingAt, Instant replicatingAt, Instant publishingAt,
                 Instant rollingOutAt, Instant finishedAt, int attempt, String conductor, Instant leaseUntil, String jobStatus,
                 Instant jobStartedAt, String artifactSha256, Long artifactSize, long lastEventId, Instant readAt) {

    /** True once its deadline passed, on the database clock. */
    boolean pastDeadline() {
        return !readAt.isBefore(deadlineAt);
    }
}
