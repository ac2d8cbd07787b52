package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.PageRequest;
import dev.codedeploy.queue.QueueConfig;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client commands against a real server in this JVM, configured with a client file holding only a URL and a token. */
class DeployCommandTest {

    private static final AtomicInteger SHAS = new AtomicInteger();
    private static ApiHarness server;

    @BeforeAll
    static void start() throws Exception {
        server = new ApiHarness("clideploy");
        server.host("host-1");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void clearOutput() {
        server.cli.out.getBuffer().setLength(0);
        server.cli.err.getBuffer().setLength(0);
    }

    private static String newSha() {
        return String.format("%040x", 0xc11000000L + SHAS.incrementAndGet());
    }

    private static int run(String... args) {
        return server.cli.run(args);
    }

    @Test
    void aClientConfigurationWithOnlyAUrlAndATokenDeploysThroughTheServer() {
        String sha = newSha();
        long build = server.deployableBuild(sha);

        int exit = run("deploy", sha, "-c", server.clientConfig.toString(), "--reason", "from the CLI test");

        String out = server.cli.out.toString();
        assertThat(exit).as(out + server.cli.err).isEqualTo(CodeDeployCli.OK);
        assertThat(out).containsSubsequence("requested on " + server.url, "== QUEUED", "== REPLICATING", "== PUBLISHING",
                "== ROLLING_OUT", "== SUCCEEDED", "every host runs build " + build + " healthy");
        assertThat(out).contains("result       SUCCEEDED").contains("build        " + build).contains("rolling_out ")
                .containsPattern("east +1 +1 +1 +0");
    }

    @Test
    void noWaitPrintsTheIdAndFollowAttachesFromAnywhere() {
        String sha = newSha();
        server.deployableBuild(sha);
        assertThat(run("deploy", sha, "--no-wait", "--server", server.url, "-c", server.clientConfig.toString())).isZero();
        String id = server.cli.out.toString().strip();
        assertThat(id).matches("\\d+");

        server.cli.out.getBuffer().setLength(0);
        assertThat(run("follow", id, "-c", server.clientConfig.toString())).isZero();
        assertThat(server.cli.out.toString()).contains("deploy " + id + " of " + sha).contains("== SUCCEEDED").contains("result       SUCCEEDED");

        server.cli.out.getBuffer().setLength(0);
        assertThat(run("status", "--deploy", id, "-c", server.clientConfig.toString())).isZero();
        assertThat(server.cli.out.toString()).contains("result       SUCCEEDED");
        assertThat(run("cancel", id, "-c", server.clientConfig.toString())).as("already finished").isEqualTo(CodeDeployCli.FAILED);
        assertThat(server.cli.err.toString()).contains("already ended SUCCEEDED");
    }

    @Test
    void aBadShaIsRefusedWithItsReasonAndNothingIsQueued() {
        int exit = run("deploy", "nothex", "-c", server.clientConfig.toString());

        assertThat(exit).isEqualTo(CodeDeployCli.USAGE);
        assertThat(server.cli.err.toString()).contains("sha 'nothex' is not a commit SHA").contains("40 hex digits").contains("field sha");
        assertThat(server.cli.out.toString()).doesNotContain("== QUEUED");
        assertThat(new JobQueue(server.cli.database, QueueConfig.DEFAULTS).findBySha("0".repeat(40), PageRequest.first(10))).isEmpty();
    }

    @Test
    void withoutAServerOrATokenTheCommandSaysHowToGiveThem() {
        assertThat(run("status")).isEqualTo(CodeDeployCli.USAGE);
        assertThat(server.cli.err.toString()).contains("no codedeploy server").contains("--server URL").contains("CODEDEPLOY_SERVER");
        assertThat(run("status", "--server", server.url)).isEqualTo(CodeDeployCli.USAGE);
        assertThat(server.cli.err.toString()).contains("no token for " + server.url);
        assertThat(run("status", "-c", server.cli.config.toString())).isEqualTo(CodeDeployCli.USAGE);
        assertThat(server.cli.err.toString()).contains("unknown field 'database'").contains("holds only 'server' and 'token'");
    }
}
