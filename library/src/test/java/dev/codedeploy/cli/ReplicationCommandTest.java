package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.embedded.EmbeddedServers;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.queue.StoredArtifact;
import dev.codedeploy.testing.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ReplicationCommandTest {

    private Database database;
    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        String url = EmbeddedServers.newDatabase("cli");
        database = Database.open(new DatabaseConfig(url, "root", "", 2));
        BlobStoreConfig master = TestServers.newBucketConfig();
        config = EmbeddedServers.newFolder("cli").resolve("codedeploy.yml");
        Files.writeString(config, """
                database: {url: "%s", user: root, password: ""}
                blobStore: {endpoint: "%s", bucket: %s, accessKey: %s, secretKey: %s, pathStyle: true}
                regions:
                  - name: east
                    blobStore: {endpoint: "%2$s", bucket: east-bucket, accessKey: %4$s, secretKey: %5$s, pathStyle: true}
                  - name: west
                    blobStore: {endpoint: "%2$s", bucket: west-bucket, accessKey: %4$s, secretKey: %5$s, pathStyle: true}
                replication:
                  gateOverride: {enabled: false}
                """.formatted(url, master.endpoint(), master.bucket(), master.accessKey(), master.secretKey()));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    private int run(String... args) {
        CommandLine cli = CodeDeployCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
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
        assertThat(out.toString()).contains("REGION", "LAG", "east", "west", "region west is down");

        assertThat(run("replication", "status", "-c", config.toString(), "--build", String.valueOf(job.id())))
                .as("not deployable: exit 1").isEqualTo(CodeDeployCli.FAILED);
        assertThat(out.toString()).contains("FAILED", "COMPLETED", "is not deployable yet");
    }

    @Test
    void overrideWhenItIsOffFailsWithTheReason() throws Exception {
        Job job = completedBuild();
        int code = run("replication", "override", "-c", config.toString(), "--build", String.valueOf(job.id()), "--env", "production",
                "--actor", "alice", "--reason", "west is down");
        assertThat(code).isEqualTo(CodeDeployCli.FAILED);
        assertThat(err.toString()).contains("override of the deploy gate is off");
    }
}
