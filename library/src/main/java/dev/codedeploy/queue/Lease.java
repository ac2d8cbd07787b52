package dev.codedeploy.queue;

/**
 * A worker's hold on a RUNNING job: every write it makes carries {@code (jobId, attempt)} and matches no row once
 * the job was requeued, cancelled or claimed again.
 *
 * @param jobId    the job
 * @param attempt  the fencing token given by the claim
 * @param workerId the holder
 */
public record Lease(long jobId, int attempt, String workerId) {
}
