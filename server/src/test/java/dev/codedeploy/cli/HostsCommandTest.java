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
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code codedeploy hosts}: enrolling, printing a password and removing, against a region with ACLs. */
class HostsCommandTest {

    private static final String SECRET = "cli-test-host-secret-012345";
    private static final Credentials CONTROL = new Credentials("control", "control-pw");
    private final String env = "hosts-" + System.nanoTime();
    private final String connect = EmbeddedServers.zooKeeper().connectString();
    private CliHarness cli;
    private CuratorFramework control;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliHarness("hosts", """
                regions:
                  - name: east
                    blobStore: {endpoint: "%2$s", bucket: east-bucket, accessKey: %4$s, secretKey: %5$s, pathStyle: true}
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
        cli.close();
    }

    private CuratorFramework as(String host, String password) {
        Credentials own = new Credentials(host, password);
        return ZooKeeperClients.start(ZooKeeperConfig.of(connect), RolloutAcls.agent(own), own);
    }

    @Test
    void enrollingGivesEachHostANodeOnlyItCanWriteUnderAndItsPassword() throws Exception {
        assertThat(cli.run("hosts", "enroll", "-c", cli.config.toString(), "-r", "east", "-e", env, "web-1", "web-2", "--show-password"))
                .as(cli.err.toString()).isZero();
        String password = HostEnrollment.password(SECRET, "web-1");
        assertThat(cli.out.toString()).contains("web-1 enrolled at " + ZkLayout.host(env, "web-1") + " password " + password)
                .contains("web-2 enrolled at");
        assertThat(cli.run("hosts", "enroll", "-c", cli.config.toString(), "-r", "east", "-e", env, "web-1")).isZero();
        assertThat(cli.out.toString()).contains("web-1 already enrolled");
        assertThat(cli.run("hosts", "password", "-c", cli.config.toString(), "web-1")).isZero();
        assertThat(cli.out.toString()).endsWith(password + System.lineSeparator());

        HostStatus status = new HostStatus("web-1", "east", null, null, 0, HostState.IDLE, null, null, null);
        try (CuratorFramework web1 = as("web-1", password); CuratorFramework wrong = as("web-2", "not-its-password")) {
            web1.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(env, "web-1"), status.toBytes());
            assertThatThrownBy(() -> wrong.create().withMode(CreateMode.EPHEMERAL)
                    .forPath(ZkLayout.hostStatus(env, "web-2"))).isInstanceOf(KeeperException.NoAuthException.class);
        }

        assertThat(cli.run("hosts", "remove", "-c", cli.config.toString(), "-r", "east", "-e", env, "web-1")).isZero();
        assertThat(control.checkExists().forPath(ZkLayout.host(env, "web-1"))).isNull();
        assertThat(cli.run("hosts", "remove", "-c", cli.config.toString(), "-r", "east", "-e", env, "web-1")).isEqualTo(CodeDeployCli.FAILED);
        assertThat(cli.out.toString()).contains("web-1 was not enrolled");
    }

    @Test
    void theUpgradeEnrollsEveryHostOfTheFlatLayoutInOneCommand() throws Exception {
        for (String host : new String[] {"old-1", "old-2"}) {
            control.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.legacyHost(env, host));
        }
        assertThat(cli.run("hosts", "enroll", "-c", cli.config.toString(), "-r", "east", "-e", env, "--registered")).isZero();
        assertThat(cli.out.toString()).contains("old-1 enrolled").contains("old-2 enrolled");
        assertThat(control.checkExists().forPath(ZkLayout.host(env, "old-2"))).isNotNull();
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        assertThat(cli.run("hosts", "enroll", "-c", cli.config.toString(), "-r", "west", "web-1")).isEqualTo(CodeDeployCli.USAGE);
        assertThat(cli.err.toString()).contains("region 'west' is not configured").contains("east");
        assertThat(cli.run("hosts", "enroll", "-c", cli.config.toString(), "-r", "east", "web/1")).isEqualTo(CodeDeployCli.USAGE);
        assertThat(cli.err.toString()).contains("host id 'web/1' is not valid");
        assertThat(cli.run("hosts", "enroll", "-c", cli.config.toString(), "-r", "east")).isEqualTo(CodeDeployCli.USAGE);
    }
}
