package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.database.Database;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.queue.StoredArtifact;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicationCommandTest {

    private CliHarness cli;
    private Database database;
    private Path config;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliHarness("cli", """
                regions:
                  - name: east
                    blobStore: {endpoint: "%2$s", bucket: east-bucket, accessKey: %4$s, secretKey: %5$s, pathStyle: true}
                  - name: west
                    blobStore: {endpoint: "%2$s", bucket: west-bucket, accessKey: %4$s, secretKey: %5$s, pathStyle: true}
                replication:
                  gateOverride: {enabled: false}
                """);
        database = cli.database;
        config = cli.config;
    }

    @AfterEach
    void tearDown() {
        cli.close();
    }

    private int run(String... args) {
        return cli.run(args);
    }

    private Job completedBuild() throws Exception {
        JobQueue queue = new JobQueue(database, QueueConfig.DEFAULTS);
        queue.enqueue("git://127.0.0.1:1/app", "a".repeat(40), "test");
        Job job = queue.claim("w").orElseThrow();
        String prefix = "builds/" + "a".repeat(40) + "/" + job.id() + "/1/";
        queue.complete(job.lease(), new StoredArtifact(prefix + "artifact", 1, "0".repeat(64), null, null, null));
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO build_replicas (job_id, region, status, error) VALUES (?, 'east', 'COMPLETED', NULL),"
                     + " (?, 'west', 'FAILED', 'region west is down: connection refused')")) {
            ps.setLong(1, job.id());
            ps.setLong(2, job.id());
            ps.executeUpdate();
            c.commit();
        }
        return job;
    }

    @Test
    void statusShowsEachRegionsBacklogAndOneBuildsReplicas() throws Exception {
        Job job = completedBuild();
        assertThat(run("replication", "status", "-c", config.toString())).isZero();
        assertThat(cli.out.toString()).contains("REGION", "LAG", "east", "west", "region west is down");

        assertThat(run("replication", "status", "-c", config.toString(), "--build", String.valueOf(job.id())))
                .as("not deployable: exit 1").isEqualTo(CodeDeployCli.FAILED);
        assertThat(cli.out.toString()).contains("FAILED", "COMPLETED", "is not deployable yet");
    }

    @Test
    void overrideWhenItIsOffFailsWithTheReason() throws Exception {
        Job job = completedBuild();
        int code = run("replication", "override", "-c", config.toString(), "--build", String.valueOf(job.id()), "--env", "production",
                "--actor", "alice", "--reason", "west is down");
        assertThat(code).isEqualTo(CodeDeployCli.FAILED);
        assertThat(cli.err.toString()).contains("override of the deploy gate is off");
    }
}
