package dev.codedeploy.replication;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * SQL that decides which builds each region must hold: the regions' registry, new COMPLETED builds, and the builds
 * that can still be deployed (for backfill and retention).
 */
public interface PlanMapper {

    String REGIONS = "<foreach item='r' collection='regions' open='(' separator=',' close=')'>#{r}</foreach>";
    String IDS = "<foreach item='id' collection='ids' open='(' separator=',' close=')'>#{id}</foreach>";
    String INSERT_PENDING = "INSERT IGNORE INTO build_replicas (job_id, region, status, due_at, created_at, updated_at)"
            + " SELECT j.id, g.name, 'PENDING', NOW(6), NOW(6), NOW(6) FROM jobs j JOIN replication_regions g";
    String MISSING = " AND NOT EXISTS (SELECT 1 FROM build_replicas b WHERE b.job_id = j.id AND b.region = g.name)"
            + " AND NOT EXISTS (SELECT 1 FROM build_removals x WHERE x.job_id = j.id)";

    @Insert("INSERT IGNORE INTO replication_regions (name, added_at) VALUES (#{name}, NOW(6))")
    int registerRegion(@Param("name") String name);

    @Select("SELECT added_at FROM replication_regions WHERE name = #{name}")
    Instant regionAddedAt(@Param("name") String name);

    /** Rows for builds COMPLETED within the look-back after the region was added, where none exists. */
    @Insert("<script>" + INSERT_PENDING + " ON g.name IN " + REGIONS + " AND j.finished_at &gt;= g.added_at"
            + " WHERE j.status = 'COMPLETED' AND j.finished_at &gt;= NOW(6) - INTERVAL #{lookbackMicros} MICROSECOND" + MISSING
            + "</script>")
    int planRecent(@Param("regions") Collection<String> regions, @Param("lookbackMicros") long lookbackMicros);

    /**
     * Rows for the COMPLETED builds {@code ids}, where none exists: in every region when {@code backfill}, else only in
     * the regions added before the build completed.
     */
    @Insert("<script>" + INSERT_PENDING + " ON g.name IN " + REGIONS + " AND (#{backfill} OR j.finished_at &gt;= g.added_at)"
            + " WHERE j.id IN " + IDS + " AND j.status = 'COMPLETED'" + MISSING + "</script>")
    int planJobs(@Param("ids") Collection<Long> ids, @Param("regions") Collection<String> regions, @Param("backfill") boolean backfill);

    /** The last {@code n} builds deployed to each environment (any {@code deployments} row with a build counts). */
    @Select("SELECT job_id FROM (SELECT job_id, ROW_NUMBER() OVER (PARTITION BY environment ORDER BY MAX(id) DESC) AS rn"
            + " FROM deployments WHERE job_id IS NOT NULL GROUP BY environment, job_id) ranked WHERE rn <= #{n}")
    List<Long> lastDeployedPerEnvironment(@Param("n") int n);

    /** The last {@code n} COMPLETED builds of each repository that retention has not removed. */
    @Select("SELECT id FROM (SELECT j.id, ROW_NUMBER() OVER (PARTITION BY j.repo_url ORDER BY j.finished_at DESC, j.id DESC) AS rn"
            + " FROM jobs j WHERE j.status = 'COMPLETED' AND NOT EXISTS (SELECT 1 FROM build_removals x WHERE x.job_id = j.id)) ranked"
            + " WHERE rn <= #{n}")
    List<Long> lastCompletedPerRepository(@Param("n") int n);

    /** Builds with a {@code deployments} row newer than {@code micros}. */
    @Select("SELECT DISTINCT job_id FROM deployments WHERE job_id IS NOT NULL AND created_at >= NOW(6) - INTERVAL #{micros} MICROSECOND")
    List<Long> deployedWithin(@Param("micros") long micros);
}
