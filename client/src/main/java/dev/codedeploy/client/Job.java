package dev.codedeploy.client;

import java.time.Instant;

/**
 * A build job of the queue (its id is also the build id).
 *
 * @param id              the job id
 * @param status          QUEUED, RUNNING, FAILED, COMPLETED or CANCELLED
 * @param repository      the repository
 * @param sha             the commit
 * @param requestedBy     who queued it
 * @param createdAt       when it was queued
 * @param startedAt       when its current attempt was claimed
 * @param finishedAt      when it ended
 * @param lastHeartbeat   its worker's last heartbeat
 * @param attempt         claims so far
 * @param maxAttempts     claims allowed
 * @param workerId        the worker of the current attempt
 * @param stage           what its worker last said it was doing
 * @param cancelRequested its worker is asked to stop
 * @param error           why it failed, was cancelled or last requeued
 * @param artifactSize    the artifact's size, once COMPLETED
 * @param artifactSha256  its sha256
 * @param hasLog          a build log is stored ({@code GET /api/v1/jobs/{id}/log})
 * @param requeues        how many times it went back to the queue (kept after it completes)
 * @param lastRequeueReason why it went back the last time, or null
 * @param lastRequeuedAt  when it went back the last time, or null
 */
public record Job(long id, String status, String repository, String sha, String requestedBy, Instant createdAt, Instant startedAt,
                  Instant finishedAt, Instant lastHeartbeat, int attempt, int maxAttempts, String workerId, String stage,
                  boolean cancelRequested, String error, Long artifactSize, String artifactSha256, boolean hasLog,
                  int requeues, String lastRequeueReason, Instant lastRequeuedAt) {
}
