package dev.codedeploy.replication;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** Read-only SQL of the replication status queries. */
public interface StatusMapper {

    @Select("SELECT r.region, r.status, r.attempts, r.error, r.bytes_copied, r.owner, r.started_at, r.finished_at, r.verified_at,"
            + " TIMESTAMPDIFF(MICROSECOND, j.finished_at, COALESCE(r.finished_at, NOW(6))) AS lag_micros"
            + " FROM build_replicas r JOIN jobs j ON j.id = r.job_id WHERE r.job_id = #{jobId} ORDER BY r.region")
    List<BuildReplica> replicasOf(@Param("jobId") long jobId);

    /** Microseconds since the build completed, or null when it has not. */
    @Select("SELECT TIMESTAMPDIFF(MICROSECOND, finished_at, NOW(6)) FROM jobs WHERE id = #{jobId} AND status = 'COMPLETED'")
    Long ageMicros(@Param("jobId") long jobId);

    @Select("SELECT added_at FROM replication_regions WHERE name = #{name}")
    Instant addedAt(@Param("name") String name);
}
