package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code codedeploy server} refuses to start, naming each missing setting, before it starts anything. */
class ServerCommandTest {

    @Test
    void aServerWithoutWhatItsPartsNeedRefusesToStartNamingEachSetting() throws Exception {
        try (CliHarness cli = new CliHarness("cliserver", "zooKeeper: {connectString: \"127.0.0.1:1\"}\n")) {
            int exit = cli.run("server", "-c", cli.config.toString(), "--metrics-port", "-1");

            assertThat(exit).isEqualTo(CodeDeployCli.USAGE);
            assertThat(cli.err.toString()).contains("codedeploy server cannot start")
                    .contains("rollout.signingKey (or run with --no-conductor)")
                    .contains("regions is empty")
                    .contains("the API needs api.tokens").contains("codedeploy tokens create");
        }
    }
}
