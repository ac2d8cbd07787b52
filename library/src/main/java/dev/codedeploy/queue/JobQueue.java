package dev.codedeploy.queue;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.database.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build queue in the {@code jobs} table: enqueue, claim oldest first with {@code FOR UPDATE SKIP LOCKED},
 * fenced heartbeat, complete, fail and cancel, and the history queries.
 *
 * <p>Thread-safe; every call is one short READ COMMITTED transaction that is retried on deadlock.
 */
public final class JobQueue {

    private static final Logger log = LoggerFactory.getLogger(JobQueue.class);
    /** Every fenced write and its outcome: DEBUG when accepted, WARN when a stale attempt is rejected. */
    private static final Logger fenced = LoggerFactory.getLogger("dev.codedeploy.queue.fenced");
    private static final int MAX_ERROR_LENGTH = 16_000;

    private final Database database;
    private final QueueConfig config;

    /** A queue over {@code database} (whose schema is migrated). */
    public JobQueue(Database database, QueueConfig config) {
        this.database = database.addMapper(JobMapper.class);
        this.config = config;
    }

    /**
     * Queues a build of {@code sha} from {@code repoUrl}.
     *
     * @throws InvalidInputException when the SHA, URL or requester is malformed; nothing is stored then
     */
    public Job enqueue(String repoUrl, String sha, String requestedBy) {
        return enqueue(new BuildRequest(repoUrl, sha, requestedBy));
    }

    /** Queues a validated request. */
    public Job enqueue(BuildRequest request) {
        JobMapper.NewJob row = new JobMapper.NewJob();
        row.repoUrl = request.repoUrl();
        row.sha = request.sha();
        row.requestedBy = request.requestedBy();
        row.maxAttempts = config.maxAttempts();
        Job job = database.inTransaction(JobMapper.class, mapper -> {
            mapper.insert(row);
            return mapper.find(row.id);
        });
        log.info("queued job {} for {} at {} (by {})", job.id(), request.repoUrl(), request.sha(), request.requestedBy());
        return job;
    }

    /**
     * Claims the oldest QUEUED job for {@code workerId}: it becomes RUNNING with its attempt bumped.
     *
     * @return the claimed job, whose {@link Job#lease()} fences every later write
     */
    public Optional<Job> claim(String workerId) {
        List<Job> claimed = claim(workerId, 1);
        return claimed.isEmpty() ? Optional.empty() : Optional.of(claimed.get(0));
    }

    /** Claims up to {@code max} of the oldest QUEUED jobs in one transaction. */
    public List<Job> claim(String workerId, int max) {
        if (workerId == null || workerId.isBlank() || workerId.length() > 255) {
            throw new InvalidInputException("workerId must be 1 to 255 characters");
        }
        return database.inTransaction(JobMapper.class, mapper -> {
            List<Job> locked = mapper.lockOldestQueued(max);
            if (locked.isEmpty()) {
                return List.of();
            }
            Instant now = locked.get(0).startedAt();
            mapper.markRunning(locked.stream().map(Job::id).toList(), workerId, now);
            return locked.stream().map(j -> claimed(j, workerId)).toList();
        });
    }

    /** Renews the lease and asks whether the job was cancelled. */
    public HeartbeatResult heartbeat(Lease lease) {
        return heartbeat(lease, null);
    }

    /**
     * Renews the lease, records what the worker is doing, and asks whether the job was cancelled.
     *
     * @param stage the worker's current stage, or null to keep the last one
     */
    public HeartbeatResult heartbeat(Lease lease, String stage) {
        HeartbeatResult result = database.inTransaction(JobMapper.class, mapper -> {
            if (mapper.heartbeat(lease, stage) == 1) {
                return HeartbeatResult.ALIVE;
            }
            Boolean cancelRequested = mapper.cancelRequested(lease);
            return cancelRequested == null ? HeartbeatResult.LEASE_LOST : HeartbeatResult.CANCEL_REQUESTED;
        });
        recordFenced("heartbeat", lease, result != HeartbeatResult.LEASE_LOST);
        return result;
    }

    /**
     * Marks the job COMPLETED with its stored artifact.
     *
     * @throws LeaseLostException when the lease no longer holds or a cancel is pending (then call
     *                            {@link #markCancelled(Lease, String)})
     */
    public void complete(Lease lease, StoredArtifact artifact) {
        int rows = database.inTransaction(JobMapper.class, mapper -> mapper.complete(lease, artifact));
        recordFenced("complete", lease, rows == 1);
        if (rows == 0) {
            throw new LeaseLostException(lease, "complete");
        }
        log.info("job {} completed: {} ({} bytes, sha256 {})", lease.jobId(), artifact.artifactKey(), artifact.size(), artifact.sha256());
    }

    /** Marks the job FAILED for a reason that retrying will not fix (a failing build, a bad spec). */
    public void fail(Lease lease, String error, String logKey) {
        int rows = database.inTransaction(JobMapper.class, mapper -> mapper.fail(lease, truncate(error), logKey));
        recordFenced("fail", lease, rows == 1);
        if (rows == 0) {
            throw new LeaseLostException(lease, "fail");
        }
        log.info("job {} failed: {}", lease.jobId(), error);
    }

    /**
     * Gives the job back for another attempt after a failure of the infrastructure (blob store or git remote
     * down); it becomes FAILED instead when it has used all its attempts.
     */
    public void retryLater(Lease lease, String error, String logKey) {
        int rows = database.inTransaction(JobMapper.class, mapper -> mapper.retryLater(lease, truncate(error), logKey));
        recordFenced("retry", lease, rows == 1);
        if (rows == 0) {
            throw new LeaseLostException(lease, "retry");
        }
        log.info("job {} given back for another attempt: {}", lease.jobId(), error);
    }

    /** Marks a job whose cancel was requested CANCELLED, once its worker stopped the build. */
    public void markCancelled(Lease lease, String logKey) {
        int rows = database.inTransaction(JobMapper.class, mapper -> mapper.markCancelled(lease, logKey));
        recordFenced("cancel", lease, rows == 1);
        if (rows == 0) {
            throw new LeaseLostException(lease, "cancel");
        }
        log.info("job {} cancelled while running", lease.jobId());
    }

    /**
     * Cancels a job: a QUEUED one at once, a RUNNING one at its worker's next heartbeat.
     *
     * @param by who cancels, kept on the job
     */
    public CancelResult cancel(long jobId, String by) {
        String actor = by == null || by.isBlank() ? "unknown" : by.trim();
        // a job can move between QUEUED and RUNNING under us (claim, requeue); a few rounds settle it
        for (int round = 0; round < 5; round++) {
            CancelResult result = database.inTransaction(JobMapper.class, mapper -> {
                if (mapper.cancelQueued(jobId, actor) == 1) {
                    return CancelResult.CANCELLED;
                }
                if (mapper.requestCancel(jobId, actor) == 1) {
                    return CancelResult.CANCEL_REQUESTED;
                }
                Job job = mapper.find(jobId);
                if (job == null) {
                    return CancelResult.NOT_FOUND;
                }
                return job.status().isFinal() ? CancelResult.ALREADY_FINISHED : null;
            });
            if (result != null) {
                log.info("cancel of job {} by {}: {}", jobId, actor, result);
                return result;
            }
        }
        throw new IllegalStateException("job " + jobId + " kept changing state while being cancelled; try again");
    }

    /**
     * Puts RUNNING jobs whose heartbeat is older than {@code staleMicros} back in the queue, counting the requeue in
     * their history, or fails or cancels them (see {@link JobMapper#moveStale}): one transaction that locks the stale
     * rows, then moves exactly them.
     *
     * @return the ids of the jobs requeued, failed and cancelled
     */
    public StaleJobs requeueStale(long staleMicros) {
        return database.inTransaction(JobMapper.class, mapper -> {
            List<StaleJobs.Row> rows = mapper.lockStale(staleMicros);
            if (rows.isEmpty()) {
                return StaleJobs.NONE;
            }
            mapper.moveStale(staleMicros, rows.stream().map(StaleJobs.Row::id).toList());
            return new StaleJobs(ids(rows, JobStatus.QUEUED), ids(rows, JobStatus.FAILED), ids(rows, JobStatus.CANCELLED));
        });
    }

    private static List<Long> ids(List<StaleJobs.Row> rows, JobStatus outcome) {
        return rows.stream().filter(r -> r.outcome() == outcome).map(StaleJobs.Row::id).toList();
    }

    /**
     * The leases of RUNNING jobs whose heartbeat is younger than {@code staleMicros}: the attempts that still run
     * somewhere (workers sweep the folders of all others).
     */
    public List<Lease> liveLeases(long staleMicros) {
        return database.inTransaction(JobMapper.class, mapper -> mapper.liveLeases(staleMicros));
    }

    /** The job with this id. */
    public Optional<Job> find(long jobId) {
        return Optional.ofNullable(database.inTransaction(JobMapper.class, mapper -> mapper.find(jobId)));
    }

    /** Jobs of one commit, newest first. */
    public List<Job> findBySha(String sha, PageRequest page) {
        String normalised = CommitSha.validate(sha);
        return database.inTransaction(JobMapper.class, mapper -> mapper.findBySha(normalised, page.size(), page.offset()));
    }

    /** Jobs in one status, newest first. */
    public List<Job> findByStatus(JobStatus status, PageRequest page) {
        return database.inTransaction(JobMapper.class, mapper -> mapper.findByStatus(status, page.size(), page.offset()));
    }

    /** All jobs, newest first. */
    public List<Job> findRecent(PageRequest page) {
        return database.inTransaction(JobMapper.class, mapper -> mapper.findRecent(page.size(), page.offset()));
    }

    /** How many jobs are in {@code status}. */
    public long count(JobStatus status) {
        return database.inTransaction(JobMapper.class, mapper -> mapper.countByStatus(status));
    }

    /** The database this queue lives in. */
    public Database database() {
        return database;
    }

    /** The job as the claim's UPDATE leaves it: RUNNING under {@code workerId}, attempt bumped. */
    private static Job claimed(Job j, String workerId) {
        return new Job(j.id(), JobStatus.RUNNING, j.repoUrl(), j.sha(), j.requestedBy(), j.createdAt(), j.startedAt(), null,
                j.lastHeartbeat(), j.attempt() + 1, j.maxAttempts(), workerId, j.cancelRequested(), "CLAIMED", j.cancelledBy(),
                j.error(), j.artifactKey(), j.artifactSize(), j.artifactSha256(), j.torrentKey(), j.manifestKey(), j.logKey(),
                j.manifestSha256(), j.deployDigest(), j.requeues(), j.lastRequeueReason(), j.lastRequeuedAt());
    }

    private static void recordFenced(String what, Lease lease, boolean accepted) {
        if (accepted) {
            fenced.debug("fenced {} job={} attempt={} worker={} result=accepted", what, lease.jobId(), lease.attempt(), lease.workerId());
        } else {
            fenced.warn("fenced {} job={} attempt={} worker={} result=rejected (stale attempt)", what, lease.jobId(), lease.attempt(), lease.workerId());
        }
    }

    private static String truncate(String error) {
        if (error == null) {
            return null;
        }
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH - 3) + "...";
    }
}
