package dev.codedeploy.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.database.Database;
import dev.codedeploy.testing.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The claim must walk the (status, created_at, id) index: no filesort, no scan of finished jobs. */
class ClaimPlanTest {

    @Test
    void claimUsesTheQueueIndexWithoutFilesort() throws Exception {
        try (Database database = TestServers.newDatabase(2); Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO jobs (status, repo_url, sha, requested_by, created_at)"
                    + " SELECT IF(seq % 50 = 0, 'QUEUED', 'COMPLETED'), 'git://h/r', LPAD(HEX(seq), 40, '0'), 'plan',"
                    + " NOW(6) - INTERVAL seq SECOND FROM seq_1_to_5000");
            s.execute("ANALYZE TABLE jobs");
            try (ResultSet rs = s.executeQuery("EXPLAIN SELECT id FROM jobs WHERE status = 'QUEUED' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("key")).isEqualTo("idx_jobs_claim");
                assertThat(String.valueOf(rs.getString("Extra"))).doesNotContain("filesort");
                assertThat(rs.getLong("rows")).isLessThan(1000);
            }
        }
    }
}
