package dev.codedeploy.rollout;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** SQL over {@code deployments}. */
public interface DeploymentMapper {

    /** Columns of {@link Deployment}, in its constructor order. */
    String COLUMNS = "id, environment, job_id, release_version, action, detail, actor, created_at";

    /** Holder for the generated key of an insert. */
    final class NewDeployment {
        /** Generated id. */
        public long id;
        /** Environment. */
        public String environment;
        /** Build, or null. */
        public Long jobId;
        /** Release version, or null. */
        public Long releaseVersion;
        /** Action. */
        public DeploymentAction action;
        /** Detail. */
        public String detail;
        /** Actor. */
        public String actor;
        /** The deploy it belongs to, or null. */
        public Long deployId;
    }

    @Insert("INSERT INTO deployments (environment, job_id, release_version, deploy_id, action, detail, actor, created_at)"
            + " VALUES (#{environment}, #{jobId}, #{releaseVersion}, #{deployId}, #{action}, #{detail}, #{actor}, NOW(6))")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insert(NewDeployment row);

    @Select("SELECT " + COLUMNS + " FROM deployments WHERE environment = #{environment} ORDER BY id DESC LIMIT #{limit}")
    List<Deployment> findRecent(@Param("environment") String environment, @Param("limit") int limit);

    @Select("SELECT " + COLUMNS + " FROM deployments WHERE environment = #{environment} AND id > #{afterId} ORDER BY id LIMIT #{limit}")
    List<Deployment> findAfter(@Param("environment") String environment, @Param("afterId") long afterId, @Param("limit") int limit);

    @Select("SELECT " + COLUMNS + " FROM deployments WHERE deploy_id = #{deployId} AND action IN ('PUBLISH','PUBLISH_FORCED')"
            + " ORDER BY id LIMIT 1")
    Deployment findPublishOf(long deployId);

    @Select("SELECT NOW(6)")
    Instant now();
}
