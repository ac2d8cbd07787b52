package dev.codedeploy.queue;

import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * The SQL of the queue. Every write a worker makes after its claim is fenced by {@code (id, attempt)} and
 * {@code status='RUNNING'}; every time is {@code NOW(6)} of the database.
 */
public interface JobMapper {

    /** Columns of {@link Job}, in its constructor order. */
    String COLUMNS = "id, status, repo_url, sha, requested_by, created_at, started_at, finished_at, last_heartbeat, attempt,"
            + " max_attempts, worker_id, cancel_requested, stage, cancelled_by, error, artifact_key, artifact_size, artifact_sha256,"
            + " torrent_key, manifest_key, log_key, manifest_sha256, deploy_digest, requeues, last_requeue_reason, last_requeued_at";

    /** {@link #COLUMNS} with the claim's time in place of {@code started_at} and {@code last_heartbeat}. */
    String CLAIM_COLUMNS = "id, status, repo_url, sha, requested_by, created_at, NOW(6) AS started_at, finished_at,"
            + " NOW(6) AS last_heartbeat, attempt, max_attempts, worker_id, cancel_requested, stage, cancelled_by, error, artifact_key,"
            + " artifact_size, artifact_sha256, torrent_key, manifest_key, log_key, manifest_sha256, deploy_digest, requeues,"
            + " last_requeue_reason, last_requeued_at";

    /** Holder for the generated key of an insert. */
    final class NewJob {
        /** Generated id. */
        public long id;
        /** Repository URL. */
        public String repoUrl;
        /** Commit SHA. */
        public String sha;
        /** Requester. */
        public String requestedBy;
        /** Claims allowed. */
        public int maxAttempts;
    }

    @Insert("INSERT INTO jobs (status, repo_url, sha, requested_by, max_attempts, created_at)"
            + " VALUES ('QUEUED', #{repoUrl}, #{sha}, #{requestedBy}, #{maxAttempts}, NOW(6))")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insert(NewJob job);

    @Select("SELECT " + COLUMNS + " FROM jobs WHERE id = #{id}")
    Job find(long id);

    /**
     * Locks up to {@code limit} oldest QUEUED rows that no other claimer holds. {@code started_at} and
     * {@code last_heartbeat} come back as the database's {@code NOW(6)}, the values the claim then writes, so the
     * claim needs no third statement to read its rows back.
     */
    @Select("SELECT " + CLAIM_COLUMNS + " FROM jobs WHERE status = 'QUEUED' ORDER BY created_at, id"
            + " LIMIT #{limit} FOR UPDATE SKIP LOCKED")
    List<Job> lockOldestQueued(int limit);

    @Update("<script>UPDATE jobs SET status = 'RUNNING', attempt = attempt + 1, worker_id = #{workerId},"
            + " started_at = #{now}, last_heartbeat = #{now}, finished_at = NULL, stage = 'CLAIMED'"
            + " WHERE status = 'QUEUED' AND id IN <foreach item='id' collection='ids' open='(' separator=',' close=')'>#{id}</foreach></script>")
    int markRunning(@Param("ids") List<Long> ids, @Param("workerId") String workerId, @Param("now") java.time.Instant now);

    /** Renews the lease of a job nobody asked to cancel; 0 rows means cancelled or lost (ask {@link #cancelRequested}). */
    @Update("UPDATE jobs SET last_heartbeat = NOW(6), stage = COALESCE(#{stage}, stage)"
            + " WHERE id = #{l.jobId} AND status = 'RUNNING' AND attempt = #{l.attempt} AND cancel_requested = FALSE")
    int heartbeat(@Param("l") Lease lease, @Param("stage") String stage);

    @Select("SELECT cancel_requested FROM jobs WHERE id = #{jobId} AND status = 'RUNNING' AND attempt = #{attempt}")
    Boolean cancelRequested(Lease lease);

    @Update("UPDATE jobs SET status = 'COMPLETED', finished_at = NOW(6), error = NULL,"
            + " artifact_key = #{a.artifactKey}, artifact_size = #{a.size}, artifact_sha256 = #{a.sha256},"
            + " torrent_key = #{a.torrentKey}, manifest_key = #{a.manifestKey}, log_key = #{a.logKey},"
            + " manifest_sha256 = #{a.manifestSha256}, deploy_digest = #{a.deployDigest}"
            + " WHERE id = #{l.jobId} AND status = 'RUNNING' AND attempt = #{l.attempt} AND cancel_requested = FALSE")
    int complete(@Param("l") Lease lease, @Param("a") StoredArtifact artifact);

    @Update("UPDATE jobs SET status = 'FAILED', finished_at = NOW(6), error = #{error}, log_key = #{logKey}"
            + " WHERE id = #{l.jobId} AND status = 'RUNNING' AND attempt = #{l.attempt}")
    int fail(@Param("l") Lease lease, @Param("error") String error, @Param("logKey") String logKey);

    @Update("UPDATE jobs SET error = #{error}, log_key = #{logKey},"
            + " requeues = CASE WHEN attempt >= max_attempts THEN requeues ELSE requeues + 1 END,"
            + " last_requeue_reason = CASE WHEN attempt >= max_attempts THEN last_requeue_reason ELSE #{error} END,"
            + " last_requeued_at = CASE WHEN attempt >= max_attempts THEN last_requeued_at ELSE NOW(6) END,"
            + " finished_at = CASE WHEN attempt >= max_attempts THEN NOW(6) ELSE NULL END,"
            + " worker_id = CASE WHEN attempt >= max_attempts THEN worker_id ELSE NULL END,"
            + " status = CASE WHEN attempt >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END"
            + " WHERE id = #{l.jobId} AND status = 'RUNNING' AND attempt = #{l.attempt}")
    int retryLater(@Param("l") Lease lease, @Param("error") String error, @Param("logKey") String logKey);

    @Update("UPDATE jobs SET status = 'CANCELLED', finished_at = NOW(6), log_key = #{logKey},"
            + " error = CONCAT('cancelled by ', COALESCE(cancelled_by, 'unknown'), ' while running')"
            + " WHERE id = #{l.jobId} AND status = 'RUNNING' AND attempt = #{l.attempt}")
    int markCancelled(@Param("l") Lease lease, @Param("logKey") String logKey);

    @Update("UPDATE jobs SET status = 'CANCELLED', finished_at = NOW(6), cancelled_by = #{by},"
            + " error = CONCAT('cancelled by ', #{by}, ' before it started')"
            + " WHERE id = #{id} AND status = 'QUEUED'")
    int cancelQueued(@Param("id") long id, @Param("by") String by);

    @Update("UPDATE jobs SET cancel_requested = TRUE, cancelled_by = #{by} WHERE id = #{id} AND status = 'RUNNING'")
    int requestCancel(@Param("id") long id, @Param("by") String by);

    /** The monitor's stale condition: RUNNING with a heartbeat older than {@code staleMicros}. */
    String STALE = "status = 'RUNNING' AND last_heartbeat < NOW(6) - INTERVAL #{staleMicros} MICROSECOND";

    /**
     * The heartbeat monitor's first statement: locks the stale RUNNING rows and says what each becomes, so that
     * {@link #moveStale} moves exactly them and the monitor can name them.
     */
    @Select("SELECT id, CASE WHEN cancel_requested THEN 'CANCELLED' WHEN attempt >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END AS outcome"
            + " FROM jobs WHERE " + STALE + " ORDER BY id FOR UPDATE")
    List<StaleJobs.Row> lockStale(@Param("staleMicros") long staleMicros);

    /**
     * The heartbeat monitor's second statement, on the database clock: the locked stale jobs go back to QUEUED
     * (keeping {@code created_at}, so they stay at the head of the queue, and counting the requeue in
     * {@code requeues} with its reason), to FAILED when they used all their attempts, or to CANCELLED when a cancel
     * was pending. Columns that the status depends on are read before {@code status} is assigned, and
     * {@code last_requeue_reason} after {@code error} (MySQL assigns left to right).
     */
    @Update("<script>UPDATE jobs SET"
            + " error = CASE"
            + "   WHEN cancel_requested THEN CONCAT('cancelled by ', COALESCE(cancelled_by, 'unknown'), '; its worker ', COALESCE(worker_id, '?'), ' stopped heartbeating')"
            + "   WHEN attempt &gt;= max_attempts THEN CONCAT('worker ', COALESCE(worker_id, '?'), ' stopped heartbeating (last at ', last_heartbeat, ' UTC) on attempt ', attempt, ' of ', max_attempts, ': no attempts left')"
            + "   ELSE CONCAT('requeued: worker ', COALESCE(worker_id, '?'), ' stopped heartbeating (last at ', last_heartbeat, ' UTC) on attempt ', attempt, ' of ', max_attempts) END,"
            + REQUEUE_HISTORY + ","
            + " finished_at = CASE WHEN cancel_requested OR attempt &gt;= max_attempts THEN NOW(6) ELSE NULL END,"
            + " worker_id = CASE WHEN cancel_requested OR attempt &gt;= max_attempts THEN worker_id ELSE NULL END,"
            + " status = CASE WHEN cancel_requested THEN 'CANCELLED' WHEN attempt &gt;= max_attempts THEN 'FAILED' ELSE 'QUEUED' END"
            + " WHERE status = 'RUNNING' AND last_heartbeat &lt; NOW(6) - INTERVAL #{staleMicros} MICROSECOND"
            + " AND id IN <foreach item='id' collection='ids' open='(' separator=',' close=')'>#{id}</foreach></script>")
    int moveStale(@Param("staleMicros") long staleMicros, @Param("ids") List<Long> ids);

    /**
     * Counts a return to the queue (the status becomes QUEUED: no cancel pending, attempts left) with its reason,
     * the {@code error} just assigned; a job that fails or is cancelled keeps its history as it was.
     */
    String REQUEUE_HISTORY = " requeues = CASE WHEN cancel_requested OR attempt >= max_attempts THEN requeues ELSE requeues + 1 END,"
            + " last_requeue_reason = CASE WHEN cancel_requested OR attempt >= max_attempts THEN last_requeue_reason ELSE error END,"
            + " last_requeued_at = CASE WHEN cancel_requested OR attempt >= max_attempts THEN last_requeued_at ELSE NOW(6) END";

    /** The leases of RUNNING jobs heartbeating within {@code staleMicros}: a few rows, one per busy worker. */
    @Select("SELECT id AS job_id, attempt, worker_id FROM jobs WHERE status = 'RUNNING'"
            + " AND last_heartbeat >= NOW(6) - INTERVAL #{staleMicros} MICROSECOND")
    List<Lease> liveLeases(@Param("staleMicros") long staleMicros);

    @Select("SELECT " + COLUMNS + " FROM jobs WHERE sha = #{sha} ORDER BY id DESC LIMIT #{limit} OFFSET #{offset}")
    List<Job> findBySha(@Param("sha") String sha, @Param("limit") int limit, @Param("offset") int offset);

    @Select("SELECT " + COLUMNS + " FROM jobs WHERE status = #{status} ORDER BY created_at DESC, id DESC LIMIT #{limit} OFFSET #{offset}")
    List<Job> findByStatus(@Param("status") JobStatus status, @Param("limit") int limit, @Param("offset") int offset);

    @Select("SELECT " + COLUMNS + " FROM jobs ORDER BY id DESC LIMIT #{limit} OFFSET #{offset}")
    List<Job> findRecent(@Param("limit") int limit, @Param("offset") int offset);

    @Select("SELECT COUNT(*) FROM jobs WHERE status = #{status}")
    long countByStatus(JobStatus status);
}
