package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.api.ApiTokens;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.EnvironmentSubstitution;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.testing.EmbeddedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example configurations of the distribution's conf/ load with the classes of the processes they are for. */
class ExampleConfigurationsTest {

    private static final Path CONF = Path.of("src", "dist", "conf");
    private static final KeyPair KEYS = ReleaseKeys.generate();
    /** What the operator's environment files give; a placeholder not listed here fails the test. */
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "CODEDEPLOY_DB_PASSWORD", "db-secret",
            "S3_ACCESS_KEY", "AKIAEXAMPLE",
            "S3_SECRET_KEY", "s3-secret",
            "ZK_CONTROL_PASSWORD", "zk-secret",
            "CODEDEPLOY_SIGNING_KEY", ReleaseKeys.encode(KEYS.getPrivate()),
            "CODEDEPLOY_PUBLIC_KEY", ReleaseKeys.encode(KEYS.getPublic()),
            "CODEDEPLOY_RELEASE_BOT_TOKEN_HASH", ApiTokens.hash(ApiTokens.generate()),
            "ZK_HOST_PASSWORD", "host-password",
            "CODEDEPLOY_TOKEN", ApiTokens.generate());

    private static Path substituted(String name) throws Exception {
        String text = EnvironmentSubstitution.apply(Files.readString(CONF.resolve(name)), ENVIRONMENT::get);
        Path file = EmbeddedServers.newFolder("conf").resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void theServersFileRunsEveryPartOfCodedeployServer() throws Exception {
        Path file = substituted("server.yml");
        CodeDeployConfig cfg = ConfigLoader.load(file);
        ServerRequirements.check(cfg, true, true, true, true);
        assertThat(cfg.regions()).hasSize(2);
        assertThat(cfg.rollout().keyId()).isEqualTo("control-2026");
        assertThat(ConfigCheckCommand.detect(file)).isEqualTo(ConfigCheckCommand.Kind.SERVER);
        assertThat(ConfigCheckCommand.parts(file, ConfigCheckCommand.Kind.SERVER, java.time.Duration.ofSeconds(1)))
                .extracting(ConfigCheckCommand.Part::label)
                .containsExactly("database jdbc:mysql://db.internal:3306/codedeploy", "blobStore master https://s3.us-east-1.amazonaws.com",
                        "zooKeeper master zk-master-1:2181,zk-master-2:2181,zk-master-3:2181",
                        "blobStore us-east https://s3.us-east-1.amazonaws.com", "zooKeeper us-east zk-use-1:2181,zk-use-2:2181,zk-use-3:2181",
                        "blobStore eu-west https://s3.eu-west-1.amazonaws.com", "zooKeeper eu-west zk-euw-1:2181,zk-euw-2:2181,zk-euw-3:2181");
    }

    @Test
    void theWorkersFileHoldsNoZooKeeperAndNoKey() throws Exception {
        Path file = substituted("worker.yml");
        CodeDeployConfig cfg = ConfigLoader.load(file);
        assertThat(cfg.build().workDir()).isNotNull();
        assertThat(cfg.zooKeeper()).isNull();
        assertThat(cfg.rollout().signingKey()).isNull();
        assertThat(ConfigCheckCommand.detect(file)).isEqualTo(ConfigCheckCommand.Kind.WORKER);
    }

    @Test
    void theAgentsAndTheSeedersFilesLoadAsTheAgentReadsThem() throws Exception {
        for (String name : new String[] {"agent.yml", "seeder.yml"}) {
            Path file = substituted(name);
            AgentConfig cfg = AgentConfig.load(file);
            assertThat(cfg.keyring().find("control-2026")).as(name).isEqualTo(KEYS.getPublic());
            assertThat(cfg.hostCredentials()).as(name).isNotNull();
            assertThat(cfg.metrics()).as(name).isNotNull();
            assertThat(ConfigCheckCommand.detect(file)).as(name).isEqualTo(ConfigCheckCommand.Kind.AGENT);
        }
    }

    @Test
    void theClientsFileNamesAServerAndAToken() throws Exception {
        Path file = substituted("client.yml");
        ClientConfig cfg = ClientConfig.load(file);
        assertThat(cfg.server()).startsWith("https://");
        assertThat(cfg.token()).startsWith("cdt_");
        assertThat(ConfigCheckCommand.detect(file)).isEqualTo(ConfigCheckCommand.Kind.CLIENT);
    }

    @Test
    void everyExampleIsTested() throws Exception {
        try (var files = Files.list(CONF)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yml")))
                    .containsExactlyInAnyOrder("server.yml", "worker.yml", "agent.yml", "seeder.yml", "client.yml");
        }
    }
}
