package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.PageRequest;
import dev.codedeploy.queue.QueueConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeployCommandTest {

    private CliHarness cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliHarness("clideploy", """
                defaults: {repoUrl: "git://127.0.0.1:1/app"}
                """);
    }

    @AfterEach
    void tearDown() {
        if (cli != null) {
            cli.close();
        }
    }

    @Test
    void aBadShaIsRefusedWithItsReasonAndNothingIsQueued() {
        int exit = cli.run("deploy", "nothex", "-c", cli.config.toString());

        assertThat(exit).isEqualTo(CodeDeployCli.USAGE);
        assertThat(cli.err.toString()).contains("sha 'nothex' is not a commit SHA").contains("40 hex digits");
        assertThat(cli.out.toString()).doesNotContain("== QUEUED");
        assertThat(new JobQueue(cli.database, QueueConfig.DEFAULTS).findRecent(PageRequest.first(10))).isEmpty();
    }
}
