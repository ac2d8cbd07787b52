package dev.codedeploy.replication.gate;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** SQL of the deploy gate's override: {@code gate_overrides} and its audit row in {@code deployments}. */
public interface GateOverrideMapper {

    String COLUMNS = "id, job_id, environment, actor, reason, quorum, regions_completed, regions_missing, created_at";

    /** Holder for the generated key of an insert. */
    final class NewOverride {
        /** Generated id. */
        public long id;
        /** The build. */
        public long jobId;
        /** The environment. */
        public String environment;
        /** Who. */
        public String actor;
        /** Why. */
        public String reason;
        /** Regions required. */
        public int quorum;
        /** Regions holding it. */
        public String regionsCompleted;
        /** Regions lacking it. */
        public String regionsMissing;
    }

    @Insert("INSERT INTO gate_overrides (job_id, environment, actor, reason, quorum, regions_completed, regions_missing, created_at)"
            + " VALUES (#{jobId}, #{environment}, #{actor}, #{reason}, #{quorum}, #{regionsCompleted}, #{regionsMissing}, NOW(6))")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insert(NewOverride override);

    @Insert("INSERT INTO deployments (environment, job_id, action, detail, actor, created_at)"
            + " VALUES (#{environment}, #{jobId}, 'GATE_OVERRIDE', #{detail}, #{actor}, NOW(6))")
    int audit(@Param("environment") String environment, @Param("jobId") long jobId, @Param("detail") String detail,
              @Param("actor") String actor);

    @Select("SELECT " + COLUMNS + " FROM gate_overrides WHERE id = #{id}")
    GateOverride find(@Param("id") long id);

    @Select("SELECT " + COLUMNS + " FROM gate_overrides WHERE job_id = #{jobId} AND environment = #{environment} ORDER BY id DESC LIMIT 1")
    GateOverride latest(@Param("jobId") long jobId, @Param("environment") String environment);

    /** The job's status, or null when there is no such job. */
    @Select("SELECT status FROM jobs WHERE id = #{jobId}")
    String jobStatus(@Param("jobId") long jobId);

    @Select("SELECT region FROM build_replicas WHERE job_id = #{jobId} AND status = 'COMPLETED'")
    java.util.List<String> completedRegions(@Param("jobId") long jobId);

    @Select("SELECT COUNT(*) FROM build_removals WHERE job_id = #{jobId}")
    int removals(@Param("jobId") long jobId);
}
