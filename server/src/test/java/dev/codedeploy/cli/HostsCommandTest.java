package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.HostEnrollment;
import dev.codedeploy.rollout.RolloutAcls;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code codedeploy hosts}: enrolling, printing a password and removing, against a region with ACLs. The configuration
 * names a database that does not exist: the command never needs one.
 */
class HostsCommandTest {

    private static final String SECRET = "cli-test-host-secret-012345";
    private static final Credentials CONTROL = new Credentials("control", "control-pw");
    private final String env = "hosts-" + System.nanoTime();
    private final String connect = EmbeddedServers.zooKeeper().connectString();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path config;
    private CuratorFramework control;

    @BeforeEach
    void setUp() throws Exception {
        config = EmbeddedServers.newFolder("hosts").resolve("codedeploy.yml");
        Files.writeString(config, """
                database: {url: "jdbc:mysql://127.0.0.1:1/never-opened", user: root, password: ""}
                blobStore: {endpoint: "http://127.0.0.1:1", bucket: master, accessKey: a, secretKey: b, pathStyle: true}
                regions:
                  - name: east
                    blobStore: {endpoint: "http://127.0.0.1:1", bucket: east, accessKey: a, secretKey: b, pathStyle: true}
                    zooKeeper: {connectString: "ZK", user: control, password: control-pw}
                rollout:
                  hostSecret: SECRET
                """.replace("ZK", connect).replace("SECRET", SECRET));
        control = ZooKeeperClients.start(new ZooKeeperConfig(connect, null, Duration.ofSeconds(5), CONTROL.user(), CONTROL.password()),
                RolloutAcls.controlPlane(CONTROL, null));
    }

    @AfterEach
    void tearDown() {
        control.close();
    }

    private int run(String... args) {
        CommandLine cli = CodeDeployCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private CuratorFramework as(String host, String password) {
        Credentials own = new Credentials(host, password);
        return ZooKeeperClients.start(ZooKeeperConfig.of(connect), RolloutAcls.agent(own), own);
    }

    @Test
    void enrollingGivesEachHostANodeOnlyItCanWriteUnderAndItsPassword() throws Exception {
        assertThat(run("hosts", "enroll", "-c", config.toString(), "-r", "east", "-e", env, "web-1", "web-2", "--show-password"))
                .as(err.toString()).isZero();
        String password = HostEnrollment.password(SECRET, "web-1");
        assertThat(out.toString()).contains("web-1 enrolled at " + ZkLayout.host(env, "web-1") + " password " + password)
                .contains("web-2 enrolled at");
        assertThat(run("hosts", "enroll", "-c", config.toString(), "-r", "east", "-e", env, "web-1")).isZero();
        assertThat(out.toString()).contains("web-1 already enrolled");
        assertThat(run("hosts", "password", "-c", config.toString(), "web-1")).isZero();
        assertThat(out.toString()).endsWith(password + System.lineSeparator());

        HostStatus status = new HostStatus("web-1", "east", null, null, 0, HostState.IDLE, null, null, null);
        try (CuratorFramework web1 = as("web-1", password); CuratorFramework wrong = as("web-2", "not-its-password")) {
            // orSetData: a create retried after a lost answer must not fail on its own first attempt
            web1.create().orSetData().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(env, "web-1"), status.toBytes());
            assertThatThrownBy(() -> wrong.create().withMode(CreateMode.EPHEMERAL)
                    .forPath(ZkLayout.hostStatus(env, "web-2"))).isInstanceOf(KeeperException.NoAuthException.class);
        }

        assertThat(run("hosts", "remove", "-c", config.toString(), "-r", "east", "-e", env, "web-1")).isZero();
        assertThat(control.checkExists().forPath(ZkLayout.host(env, "web-1"))).isNull();
        assertThat(run("hosts", "remove", "-c", config.toString(), "-r", "east", "-e", env, "web-1")).isEqualTo(CodeDeployCli.FAILED);
        assertThat(out.toString()).contains("web-1 was not enrolled");
    }

    @Test
    void theUpgradeEnrollsEveryHostOfTheFlatLayoutInOneCommand() throws Exception {
        for (String host : new String[] {"old-1", "old-2"}) {
            control.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.legacyHost(env, host));
        }
        assertThat(run("hosts", "enroll", "-c", config.toString(), "-r", "east", "-e", env, "--registered")).isZero();
        assertThat(out.toString()).contains("old-1 enrolled").contains("old-2 enrolled");
        assertThat(control.checkExists().forPath(ZkLayout.host(env, "old-2"))).isNotNull();
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        assertThat(run("hosts", "enroll", "-c", config.toString(), "-r", "west", "web-1")).isEqualTo(CodeDeployCli.USAGE);
        assertThat(err.toString()).contains("region 'west' is not configured").contains("east");
        assertThat(run("hosts", "enroll", "-c", config.toString(), "-r", "east", "web/1")).isEqualTo(CodeDeployCli.USAGE);
        assertThat(err.toString()).contains("host id 'web/1' is not valid");
        assertThat(run("hosts", "enroll", "-c", config.toString(), "-r", "east")).isEqualTo(CodeDeployCli.USAGE);
    }
}
