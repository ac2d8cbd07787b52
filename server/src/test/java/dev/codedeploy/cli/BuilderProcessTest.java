package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.testing.EmbeddedServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The builder workers of {@code codedeploy server} run in a child that holds no signing key and no ZooKeeper credentials. */
class BuilderProcessTest {

    private static final String SIGNING_KEY = ReleaseKeys.encode(ReleaseKeys.generate().getPrivate());

    private static String rolloutPart(Path workDir) {
        return """
                build: {workers: 1, workDir: "%s", pollInterval: 200ms}
                zooKeeper: {connectString: "127.0.0.1:1", user: control, password: ${ZK_CONTROL_PASSWORD}}
                regions:
                  - name: eu
                    blobStore: {endpoint: "http://127.0.0.1:1", bucket: eu-builds}
                    zooKeeper: {connectString: "127.0.0.1:2", user: control, password: zk-region-secret}
                rollout: {signingKey: "%s", agentUser: agent, agentPassword: agent-zk-secret}
                """.formatted(workDir, SIGNING_KEY);
    }

    @Test
    void theWorkersConfigurationKeepsOnlyWhatWorkersNeed() {
        String yaml = """
                database: {url: "jdbc:mysql://db/cd", user: cd, password: "p$${literal}"}
                blobStore: {endpoint: "http://s3:9000", bucket: master, accessKey: a, secretKey: s}
                monitor: {enabled: true}
                """ + rolloutPart(Path.of("/var/lib/codedeploy/build"));
        String worker = BuilderProcess.workerConfig(yaml, "server.yml");
        assertThat(worker).contains("database", "blobStore", "build", "workDir").contains("p$${literal}")
                .doesNotContain("zooKeeper").doesNotContain("regions").doesNotContain("rollout").doesNotContain(SIGNING_KEY)
                .doesNotContain("zk-control-secret-from-the-environment").doesNotContain("zk-region-secret").doesNotContain("agent-zk-secret");
        assertThat(dev.codedeploy.config.ConfigLoader.parse(worker, "worker").monitor().enabled()).isFalse();
    }

    @Test
    void theBuilderChildInheritsNeitherTheSecretsOfTheConfigurationNorThoseOfTheEnvironment() throws Exception {
        try (CliHarness cli = new CliHarness("builderchild", rolloutPart(EmbeddedServers.newFolder("builder-work")))) {
            try (dev.codedeploy.blob.S3BlobStore master = new dev.codedeploy.blob.S3BlobStore("master",
                    dev.codedeploy.config.ConfigLoader.load(cli.config).blobStore())) {
                master.createBucketIfMissing();
            }
            BuilderProcess builders = new BuilderProcess(cli.config, 1);
            builders.start();
            try {
                long pid = builders.pid();
                assertThat(pid).isPositive();
                String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.ISO_8859_1);
                String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.ISO_8859_1);
                for (String secret : new String[] {"zk-control-secret-from-the-environment", SIGNING_KEY, "zk-region-secret", "agent-zk-secret"}) {
                    assertThat(environ).doesNotContain(secret);
                    assertThat(cmdline).doesNotContain(secret);
                }
                assertThat(environ).doesNotContain("ZK_CONTROL_PASSWORD");
            } finally {
                long pid = builders.pid();
                builders.close();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            }
        }
    }
}
