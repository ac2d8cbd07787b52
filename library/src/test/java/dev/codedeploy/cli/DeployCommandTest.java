package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.embedded.EmbeddedServers;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.PageRequest;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.testing.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DeployCommandTest {

    private Database database;
    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        String url = EmbeddedServers.newDatabase("clideploy");
        database = Database.open(new DatabaseConfig(url, "root", "", 2));
        BlobStoreConfig master = TestServers.newBucketConfig();
        config = EmbeddedServers.newFolder("clideploy").resolve("codedeploy.yml");
        Files.writeString(config, """
                database: {url: "%s", user: root, password: ""}
                blobStore: {endpoint: "%s", bucket: %s, accessKey: %s, secretKey: %s, pathStyle: true}
                defaults: {repoUrl: "git://127.0.0.1:1/app"}
                """.formatted(url, master.endpoint(), master.bucket(), master.accessKey(), master.secretKey()));
    }

    @AfterEach
    void tearDown() {
        if (database != null) {
            database.close();
        }
    }

    private int run(String... args) {
        CommandLine cli = CodeDeployCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aBadShaIsRefusedWithItsReasonAndNothingIsQueued() {
        int exit = run("deploy", "nothex", "-c", config.toString());

        assertThat(exit).isEqualTo(CodeDeployCli.USAGE);
        assertThat(err.toString()).contains("sha 'nothex' is not a commit SHA").contains("40 hex digits");
        assertThat(out.toString()).doesNotContain("== QUEUED");
        assertThat(new JobQueue(database, QueueConfig.DEFAULTS).findRecent(PageRequest.first(10))).isEmpty();
    }
}
