package dev.codedeploy.replication;

import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * SQL over {@code build_replicas}. Every write of a copy's owner after its claim is fenced by
 * {@code (job_id, region, attempts)} and {@code status='RUNNING'}; every time is {@code NOW(6)} of the database.
 */
public interface ReplicaMapper {

    /** Columns of {@link Replica}, in its constructor order. */
    String COLUMNS = "job_id, region, status, attempts, error, created_at, updated_at, started_at, finished_at, due_at, owner,"
            + " heartbeat_at, upload_id, bytes_copied, verified_at";

    /** The fence of every write an owner makes. */
    String FENCE = " WHERE job_id = #{l.jobId} AND region = #{l.region} AND status = 'RUNNING' AND attempts = #{l.token}";

    String REGIONS = "<foreach item='r' collection='regions' open='(' separator=',' close=')'>#{r}</foreach>";

    @Select("SELECT " + COLUMNS + " FROM build_replicas WHERE job_id = #{jobId} ORDER BY region")
    List<Replica> findByJob(@Param("jobId") long jobId);

    @Select("SELECT " + COLUMNS + " FROM build_replicas WHERE job_id = #{jobId} AND region = #{region}")
    Replica find(@Param("jobId") long jobId, @Param("region") String region);

    /** Locks up to {@code limit} rows that are due (waiting, retrying, or abandoned by their owner) in {@code regions}. */
    @Select("<script>SELECT job_id, region FROM build_replicas WHERE status IN ('PENDING', 'FAILED', 'RUNNING')"
            + " AND due_at &lt;= NOW(6) AND region IN " + REGIONS
            + " ORDER BY due_at, job_id LIMIT #{limit} FOR UPDATE SKIP LOCKED</script>")
    List<ReplicaKey> lockDue(@Param("regions") Collection<String> regions, @Param("limit") int limit);

    @Update("UPDATE build_replicas SET status = 'RUNNING', attempts = attempts + 1, owner = #{owner}, started_at = NOW(6),"
            + " heartbeat_at = NOW(6), updated_at = NOW(6), due_at = NOW(6) + INTERVAL #{leaseMicros} MICROSECOND"
            + " WHERE job_id = #{k.jobId} AND region = #{k.region} AND status IN ('PENDING', 'FAILED', 'RUNNING')")
    int markRunning(@Param("k") ReplicaKey key, @Param("owner") String owner, @Param("leaseMicros") long leaseMicros);

    @Select("SELECT r.job_id, r.region, r.attempts, r.owner, r.upload_id, j.sha, j.artifact_key, j.artifact_size,"
            + " j.artifact_sha256, j.torrent_key, j.manifest_key, j.finished_at"
            + " FROM build_replicas r JOIN jobs j ON j.id = r.job_id WHERE r.job_id = #{k.jobId} AND r.region = #{k.region}")
    ReplicaWork findWork(@Param("k") ReplicaKey key);

    @Update("UPDATE build_replicas SET heartbeat_at = NOW(6), updated_at = NOW(6), bytes_copied = #{bytes},"
            + " due_at = NOW(6) + INTERVAL #{leaseMicros} MICROSECOND" + FENCE)
    int heartbeat(@Param("l") ReplicaLease lease, @Param("bytes") long bytesCopied, @Param("leaseMicros") long leaseMicros);

    @Update("UPDATE build_replicas SET upload_id = #{uploadId}, updated_at = NOW(6)" + FENCE)
    int recordUpload(@Param("l") ReplicaLease lease, @Param("uploadId") String uploadId);

    @Update("UPDATE build_replicas SET status = 'COMPLETED', finished_at = NOW(6), verified_at = NOW(6), error = NULL,"
            + " upload_id = NULL, bytes_copied = #{bytes}, heartbeat_at = NOW(6), updated_at = NOW(6)" + FENCE)
    int complete(@Param("l") ReplicaLease lease, @Param("bytes") long bytes);

    @Update("UPDATE build_replicas SET status = 'FAILED', error = #{error}, updated_at = NOW(6),"
            + " due_at = NOW(6) + INTERVAL #{delayMicros} MICROSECOND" + FENCE)
    int fail(@Param("l") ReplicaLease lease, @Param("error") String error, @Param("delayMicros") long delayMicros);

    /** Gives a copy back at shutdown: due at once, its multipart upload kept for the next owner to resume. */
    @Update("UPDATE build_replicas SET status = 'PENDING', error = #{reason}, updated_at = NOW(6), due_at = NOW(6)" + FENCE)
    int release(@Param("l") ReplicaLease lease, @Param("reason") String reason);

    /** Makes the FAILED rows of a region that came back due at once. */
    @Update("UPDATE build_replicas SET due_at = NOW(6) WHERE region = #{region} AND status = 'FAILED' AND due_at > NOW(6)")
    int retryNow(@Param("region") String region);

    /** COMPLETED rows of builds finished within the look-back whose last check is the oldest, for audits. */
    @Select("<script>SELECT r.job_id, r.region, r.attempts, r.owner, r.upload_id, j.sha, j.artifact_key, j.artifact_size,"
            + " j.artifact_sha256, j.torrent_key, j.manifest_key, j.finished_at"
            + " FROM build_replicas r JOIN jobs j ON j.id = r.job_id"
            + " WHERE r.status = 'COMPLETED' AND r.region IN " + REGIONS
            + " AND (r.verified_at IS NULL OR r.verified_at &lt; NOW(6) - INTERVAL #{ageMicros} MICROSECOND)"
            + " AND j.finished_at >= NOW(6) - INTERVAL #{lookbackMicros} MICROSECOND"
            + " ORDER BY r.verified_at LIMIT #{limit}</script>")
    List<ReplicaWork> findAuditDue(@Param("regions") Collection<String> regions, @Param("ageMicros") long ageMicros,
                                   @Param("lookbackMicros") long lookbackMicros, @Param("limit") int limit);

    /** Takes an audit: only one auditor wins a row whose last check was older than {@code ageMicros}. */
    @Update("UPDATE build_replicas SET verified_at = NOW(6) WHERE job_id = #{jobId} AND region = #{region}"
            + " AND status = 'COMPLETED' AND (verified_at IS NULL OR verified_at < NOW(6) - INTERVAL #{ageMicros} MICROSECOND)")
    int takeAudit(@Param("jobId") long jobId, @Param("region") String region, @Param("ageMicros") long ageMicros);

    /** An audit found bad bytes (now deleted): the row is copied again at once. */
    @Update("UPDATE build_replicas SET status = 'PENDING', error = #{error}, due_at = NOW(6), updated_at = NOW(6),"
            + " finished_at = NULL WHERE job_id = #{jobId} AND region = #{region} AND status = 'COMPLETED'")
    int reopen(@Param("jobId") long jobId, @Param("region") String region, @Param("error") String error);

    /** Per region, the microseconds since the oldest build without a COMPLETED replica there finished. */
    @Select("SELECT r.region AS region, TIMESTAMPDIFF(MICROSECOND, MIN(j.finished_at), NOW(6)) AS lag_micros,"
            + " COUNT(*) AS waiting FROM build_replicas r JOIN jobs j ON j.id = r.job_id"
            + " WHERE r.status IN ('PENDING', 'RUNNING', 'FAILED') GROUP BY r.region")
    List<RegionLag> lag();

    @Select("SELECT region, status, COUNT(*) AS count FROM build_replicas GROUP BY region, status")
    List<RegionCount> countByRegionAndStatus();

    /** The newest error of a region's rows that are not COMPLETED. */
    @Select("SELECT error FROM build_replicas WHERE region = #{region} AND status IN ('PENDING', 'RUNNING', 'FAILED')"
            + " AND error IS NOT NULL ORDER BY updated_at DESC LIMIT 1")
    String lastError(@Param("region") String region);

    /** The region and status of a grouped count. */
    record RegionCount(String region, ReplicaStatus status, long count) {
    }
}
