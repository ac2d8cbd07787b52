package dev.codedeploy.replication;

import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** SQL over {@code build_replicas}. */
public interface ReplicaMapper {

    /** Columns of {@link Replica}, in its constructor order. */
    String COLUMNS = "job_id, region, status, attempts, error, created_at, updated_at, started_at, finished_at";

    @Select("SELECT " + COLUMNS + " FROM build_replicas WHERE job_id = #{jobId} ORDER BY region")
    List<Replica> findByJob(@Param("jobId") long jobId);
}
