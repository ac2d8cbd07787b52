package dev.codedeploy.replication.retention;

import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** SQL of retention: {@code build_removals} and the REMOVED state of {@code build_replicas}. */
public interface RemovalMapper {

    /** COMPLETED builds older than {@code newerMicros}, not removed, not in {@code keep}; oldest first. */
    @Select("<script>SELECT j.id FROM jobs j WHERE j.status = 'COMPLETED'"
            + " AND j.finished_at &lt; NOW(6) - INTERVAL #{newerMicros} MICROSECOND"
            + " AND NOT EXISTS (SELECT 1 FROM build_removals x WHERE x.job_id = j.id)"
            + "<if test='keep.size() > 0'> AND j.id NOT IN <foreach item='id' collection='keep' open='(' separator=',' close=')'>#{id}</foreach></if>"
            + " ORDER BY j.finished_at, j.id LIMIT #{limit}</script>")
    List<Long> candidates(@Param("newerMicros") long newerMicros, @Param("keep") Collection<Long> keep, @Param("limit") int limit);

    /** Builds whose removal an earlier pass began. */
    @Select("SELECT job_id FROM build_removals WHERE status = 'REMOVING' ORDER BY job_id")
    List<Long> removing();

    /** Locks the build's rows; for each, whether a live replicator holds it. */
    @Select("SELECT (status = 'RUNNING' AND due_at > NOW(6)) AS leased FROM build_replicas WHERE job_id = #{jobId} FOR UPDATE")
    List<Boolean> lockLeased(@Param("jobId") long jobId);

    @Insert("INSERT INTO build_removals (job_id, status, reason, requested_at) VALUES (#{jobId}, 'REMOVING', #{reason}, NOW(6))")
    int insert(@Param("jobId") long jobId, @Param("reason") String reason);

    @Update("UPDATE build_replicas SET status = 'REMOVED', error = #{reason}, upload_id = NULL, updated_at = NOW(6) WHERE job_id = #{jobId}")
    int markReplicasRemoved(@Param("jobId") long jobId, @Param("reason") String reason);

    @Update("UPDATE build_replicas SET status = 'PENDING', error = NULL, due_at = NOW(6), updated_at = NOW(6)"
            + " WHERE job_id = #{jobId} AND status = 'REMOVED'")
    int reopenReplicas(@Param("jobId") long jobId);

    @Delete("DELETE FROM build_removals WHERE job_id = #{jobId} AND status = 'REMOVING'")
    int cancel(@Param("jobId") long jobId);

    @Update("UPDATE build_removals SET status = 'REMOVED', removed_at = NOW(6), error = NULL WHERE job_id = #{jobId}")
    int finish(@Param("jobId") long jobId);

    @Update("UPDATE build_removals SET error = #{error} WHERE job_id = #{jobId}")
    int recordError(@Param("jobId") long jobId, @Param("error") String error);

    @Select("SELECT artifact_key FROM jobs WHERE id = #{jobId}")
    String artifactKey(@Param("jobId") long jobId);

    @Select("SELECT status FROM build_removals WHERE job_id = #{jobId}")
    String removalStatus(@Param("jobId") long jobId);
}
