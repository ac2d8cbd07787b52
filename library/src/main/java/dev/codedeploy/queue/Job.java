package dev.codedeploy.queue;

import java.time.Instant;

/**
 * One row of the {@code jobs} table. Times come from the database clock.
 *
 * @param id              the job id, also the build id
 * @param status          where the job is
 * @param repoUrl         the repository to fetch
 * @param sha             the commit, 40 lowercase hex digits
 * @param requestedBy     who asked
 * @param createdAt       when it was queued (kept on requeue, so FIFO order holds)
 * @param startedAt       when the current attempt was claimed
 * @param finishedAt      when it reached a final status
 * @param lastHeartbeat   the last heartbeat of the current attempt
 * @param attempt         claims so far: the fencing token of the current attempt
 * @param maxAttempts     claims allowed before a job whose workers keep dying is FAILED
 * @param workerId        the worker of the current attempt
 * @param cancelRequested a RUNNING job's worker is asked to stop
 * @param stage           what the worker of a RUNNING job last said it was doing
 * @param cancelledBy     who cancelled
 * @param error           why it failed, was cancelled or was last requeued
 * @param artifactKey     blob key of the artifact, once COMPLETED
 * @param artifactSize    size of the artifact in bytes
 * @param artifactSha256  sha256 of the artifact, hex
 * @param torrentKey      blob key of the .torrent
 * @param manifestKey     blob key of the manifest
 * @param logKey          blob key of the build log (kept on failure too)
 * @param manifestSha256  sha256 of the manifest as the build uploaded it (null for jobs completed before it was recorded)
 * @param deployDigest    digest of the deploy spec in that manifest (null likewise)
 * @param requeues        how many times it went back to the queue (its worker stopped heartbeating, or gave it back to
 *                        retry later); kept when it later completes, which clears {@code error}
 * @param lastRequeueReason why it went back the last time, or null
 * @param lastRequeuedAt  when it went back the last time, or null
 */
public record Job(
        long id,
        JobStatus status,
        String repoUrl,
        String sha,
        String requestedBy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant lastHeartbeat,
        int attempt,
        int maxAttempts,
        String workerId,
        boolean cancelRequested,
        String stage,
        String cancelledBy,
        String error,
        String artifactKey,
        Long artifactSize,
        String artifactSha256,
        String torrentKey,
        String manifestKey,
        String logKey,
        String manifestSha256,
        String deployDigest,
        int requeues,
        String lastRequeueReason,
        Instant lastRequeuedAt) {

    /** The lease of the current attempt, for the fenced writes of its worker. */
    public Lease lease() {
        return new Lease(id, attempt, workerId);
    }
}
