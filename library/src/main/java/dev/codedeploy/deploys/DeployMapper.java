package dev.codedeploy.deploys;

import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.StageTiming;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * The SQL of {@code deploys} and {@code deploy_events}. A conductor's writes are fenced by
 * {@code (id, attempt, conductor)} and the state it expects; every time is {@code NOW(6)} of the database.
 */
interface DeployMapper {

    /** The states a conductor still works on. */
    String UNFINISHED = "('REQUESTED','BUILDING','REPLICATING','PUBLISHING','ROLLING_OUT')";

    /** Columns of {@link DeployRow}; {@code d} is the deploy, {@code j} its job. */
    String COLUMNS = "d.id, d.environment, d.sha, d.repo_url, d.requested_by, d.reason, d.state, d.job_id, d.own_job, d.release_version,"
            + " d.audit_cursor, d.superseded_by, d.cancel_requested, d.cancelled_by, d.timed_out, d.error, d.message, d.regions,"
            + " d.created_at, d.updated_at, d.deadline_at, d.building_at, d.replicating_at, d.publishing_at, d.rolling_out_at,"
            + " d.finished_at, d.attempt, d.conductor, d.lease_until, j.status AS job_status, j.started_at AS job_started_at,"
            + " j.artifact_sha256, j.artifact_size,"
            + " COALESCE((SELECT MAX(e.id) FROM deploy_events e WHERE e.deploy_id = d.id), 0) AS last_event_id, NOW(6) AS read_at";

    String FROM = " FROM deploys d LEFT JOIN jobs j ON j.id = d.job_id";

    /** Columns of {@link DeployEvent}. */
    String EVENT_COLUMNS = "id, deploy_id, created_at AS at, state, stage, message, fraction";

    /** Holder for the generated key of an insert. */
    final class NewDeploy {
        /** Generated id. */
        public long id;
        /** Environment. */
        public String environment;
        /** Commit. */
        public String sha;
        /** Repository. */
        public String repoUrl;
        /** Requester. */
        public String requestedBy;
        /** Reason, or null. */
        public String reason;
        /** Time allowed, in microseconds. */
        public long timeoutMicros;
    }

    @Insert("INSERT INTO deploys (environment, sha, repo_url, requested_by, reason, state, created_at, updated_at, deadline_at)"
            + " VALUES (#{environment}, #{sha}, #{repoUrl}, #{requestedBy}, #{reason}, 'REQUESTED', NOW(6), NOW(6),"
            + " NOW(6) + INTERVAL #{timeoutMicros} MICROSECOND)")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insert(NewDeploy deploy);

    @Select("SELECT " + COLUMNS + FROM + " WHERE d.id = #{id}")
    DeployRow find(long id);

    @Select("<script>SELECT " + COLUMNS + FROM + " WHERE 1 = 1"
            + "<if test='environment != null'> AND d.environment = #{environment}</if>"
            + "<if test='active'> AND d.state IN " + UNFINISHED + "</if>"
            + "<if test='beforeId != null'> AND d.id &lt; #{beforeId}</if>"
            + " ORDER BY d.id DESC LIMIT #{limit}</script>")
    List<DeployRow> findRecent(@Param("environment") String environment, @Param("active") boolean active,
                               @Param("beforeId") Long beforeId, @Param("limit") int limit);

    /** The unfinished deploys of {@code environment} past their build, oldest first. */
    @Select("SELECT " + COLUMNS + FROM + " WHERE d.environment = #{environment} AND d.state IN ('PUBLISHING','ROLLING_OUT')"
            + " ORDER BY d.id")
    List<DeployRow> findRollingOut(String environment);

    // ---- the conductor's lease

    @Select("<script>SELECT id FROM deploys WHERE state IN " + UNFINISHED + " AND (lease_until IS NULL OR lease_until &lt; NOW(6))"
            + "<if test='only != null'> AND id IN <foreach item='i' collection='only' open='(' separator=',' close=')'>#{i}</foreach></if>"
            + " ORDER BY id LIMIT #{limit} FOR UPDATE SKIP LOCKED</script>")
    List<Long> lockClaimable(@Param("limit") int limit, @Param("only") List<Long> only);

    @Update("<script>UPDATE deploys SET attempt = attempt + 1, conductor = #{conductor},"
            + " lease_until = NOW(6) + INTERVAL #{leaseMicros} MICROSECOND"
            + " WHERE id IN <foreach item='i' collection='ids' open='(' separator=',' close=')'>#{i}</foreach></script>")
    int markClaimed(@Param("ids") List<Long> ids, @Param("conductor") String conductor, @Param("leaseMicros") long leaseMicros);

    @Select("<script>SELECT id AS deploy_id, attempt, conductor FROM deploys WHERE id IN"
            + " <foreach item='i' collection='ids' open='(' separator=',' close=')'>#{i}</foreach></script>")
    List<DeployLease> leases(@Param("ids") List<Long> ids);

    @Update("UPDATE deploys SET lease_until = NOW(6) + INTERVAL #{leaseMicros} MICROSECOND"
            + " WHERE id = #{l.deployId} AND attempt = #{l.attempt} AND conductor = #{l.conductor} AND state IN " + UNFINISHED)
    int renew(@Param("l") DeployLease lease, @Param("leaseMicros") long leaseMicros);

    @Update("UPDATE deploys SET lease_until = NULL WHERE id = #{deployId} AND attempt = #{attempt} AND conductor = #{conductor}")
    int release(DeployLease lease);

    /** The one fenced write of a conductor: a change of {@code from} to what {@code c} says. */
    @Update("<script>UPDATE deploys SET updated_at = NOW(6)"
            + "<if test='c.to != null'>, state = #{c.to}, ${c.stampColumn} = NOW(6)</if>"
            + "<if test='c.ends'>, lease_until = NULL</if>"
            + "<if test='c.jobId != null'>, job_id = #{c.jobId}, own_job = #{c.ownJob}</if>"
            + "<if test='c.releaseVersion != null'>, release_version = #{c.releaseVersion}</if>"
            + "<if test='c.auditCursor != null'>, audit_cursor = #{c.auditCursor}</if>"
            + "<if test='c.supersededBy != null'>, superseded_by = #{c.supersededBy}</if>"
            + "<if test='c.timedOut != null'>, timed_out = #{c.timedOut}</if>"
            + "<if test='c.error != null'>, error = #{c.error}</if>"
            + "<if test='c.message != null'>, message = #{c.message}</if>"
            + "<if test='c.regions != null'>, regions = #{c.regions}</if>"
            + " WHERE id = #{l.deployId} AND attempt = #{l.attempt} AND conductor = #{l.conductor} AND state = #{from}</script>")
    int change(@Param("l") DeployLease lease, @Param("from") DeployState from, @Param("c") DeployChange change);

    /**
     * Locks the deploys of {@code environment} that are past their build (oldest first, so two conductors lock in the
     * same order): the conductor that moves one to PUBLISHING sees every other one's state as committed.
     */
    @Select("SELECT id FROM deploys WHERE environment = #{environment} AND state IN ('REPLICATING','PUBLISHING','ROLLING_OUT')"
            + " ORDER BY id FOR UPDATE")
    List<Long> lockPastBuild(String environment);

    @Select("SELECT state FROM deploys WHERE id = #{id}")
    DeployState state(long id);

    @Select("SELECT MAX(id) FROM deploys WHERE environment = #{environment} AND id > #{id}")
    Long newestAfter(@Param("environment") String environment, @Param("id") long id);

    @Select("SELECT COUNT(*) FROM deploys WHERE job_id = #{jobId} AND id <> #{exceptId} AND state IN " + UNFINISHED)
    int activeUsersOfJob(@Param("jobId") long jobId, @Param("exceptId") long exceptId);

    /** The newest build of the commit a deploy can use: COMPLETED first, else one queued or running; never one removed. */
    @Select("SELECT id FROM jobs WHERE sha = #{sha} AND repo_url = #{repoUrl} AND status IN ('COMPLETED','QUEUED','RUNNING')"
            + " AND NOT EXISTS (SELECT 1 FROM build_removals r WHERE r.job_id = jobs.id)"
            + " ORDER BY status = 'COMPLETED' DESC, id DESC LIMIT 1")
    Long reusableJob(@Param("sha") String sha, @Param("repoUrl") String repoUrl);

    @Select("SELECT COALESCE(MAX(id), 0) FROM deployments WHERE environment = #{environment}")
    long lastAuditId(String environment);

    // ---- cancel, from the API

    @Update("UPDATE deploys SET cancel_requested = TRUE, cancelled_by = #{by}, updated_at = NOW(6)"
            + " WHERE id = #{id} AND state IN " + UNFINISHED + " AND cancel_requested = FALSE")
    int requestCancel(@Param("id") long id, @Param("by") String by);

    /** Cancels at once a deploy that no conductor holds yet. */
    @Update("UPDATE deploys SET state = 'CANCELLED', finished_at = NOW(6), updated_at = NOW(6), cancel_requested = TRUE,"
            + " cancelled_by = #{by}, error = #{error}, message = #{error}"
            + " WHERE id = #{id} AND state = 'REQUESTED' AND (lease_until IS NULL OR lease_until < NOW(6))")
    int cancelUnclaimed(@Param("id") long id, @Param("by") String by, @Param("error") String error);

    // ---- events

    @Insert("INSERT INTO deploy_events (deploy_id, created_at, state, stage, message, fraction)"
            + " VALUES (#{deployId}, NOW(6), #{state}, #{stage}, #{message}, #{fraction})")
    int insertEvent(@Param("deployId") long deployId, @Param("state") DeployState state, @Param("stage") StageTiming.Stage stage,
                    @Param("message") String message, @Param("fraction") Double fraction);

    @Select("SELECT " + EVENT_COLUMNS + " FROM deploy_events WHERE deploy_id = #{deployId} AND id > #{afterId} ORDER BY id LIMIT #{limit}")
    List<DeployEvent> events(@Param("deployId") long deployId, @Param("afterId") long afterId, @Param("limit") int limit);

    @Select("SELECT " + EVENT_COLUMNS + " FROM deploy_events WHERE id > #{afterId} ORDER BY id LIMIT #{limit}")
    List<DeployEvent> allEventsAfter(@Param("afterId") long afterId, @Param("limit") int limit);

    @Select("SELECT COALESCE(MAX(id), 0) FROM deploy_events")
    long lastEventId();

    @Select("SELECT NOW(6)")
    Instant now();
}
