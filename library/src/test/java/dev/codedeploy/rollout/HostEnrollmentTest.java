package dev.codedeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.config.ConfigException;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostEnrollmentTest {

    private static final String ENV = "production";
    private static RolloutCluster cluster;
    private static CuratorFramework control;
    private static HostEnrollment enrollment;

    @BeforeAll
    static void start() {
        cluster = new RolloutCluster("eu");
        control = cluster.controlClient(cluster.regions.get("eu"));
        enrollment = new HostEnrollment("eu", control, RolloutCluster.CONTROL, RolloutCluster.HOST_SECRET);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static CuratorFramework as(Credentials host) {
        return ZooKeeperClients.start(RolloutCluster.zk(cluster.regions.get("eu"), null), RolloutAcls.agent(host), host);
    }

    @Test
    void passwordsAreDerivedPerHostAndNeedALongEnoughSecret() {
        String a = HostEnrollment.password(RolloutCluster.HOST_SECRET, "web-1");
        assertThat(a).isEqualTo(HostEnrollment.password(RolloutCluster.HOST_SECRET, "web-1"))
                .isNotEqualTo(HostEnrollment.password(RolloutCluster.HOST_SECRET, "web-2"))
                .isNotEqualTo(HostEnrollment.password(RolloutCluster.HOST_SECRET + "x", "web-1"))
                .hasSizeGreaterThanOrEqualTo(40);
        assertThatThrownBy(() -> HostEnrollment.password("short", "web-1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rollout.hostSecret").hasMessageContaining("16");
        assertThatThrownBy(() -> new RolloutConfig(null, null, null, null, null, null, null, null, "short"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void anEnrolledHostWritesUnderItsOwnNodeOnlyAndEnrollingAgainChangesNothing() throws Exception {
        assertThat(enrollment.enroll(ENV, "web-1")).isEqualTo(HostEnrollment.Outcome.ENROLLED);
        assertThat(enrollment.enroll(ENV, "web-2")).isEqualTo(HostEnrollment.Outcome.ENROLLED);
        assertThat(enrollment.enroll(ENV, "web-1")).isEqualTo(HostEnrollment.Outcome.ALREADY_ENROLLED);
        try (CuratorFramework web1 = as(enrollment.credentials("web-1"))) {
            web1.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(ENV, "web-1"), "{}".getBytes());
            web1.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostPeer(ENV, "web-1"), "{}".getBytes());
            web1.delete().forPath(ZkLayout.hostPeer(ENV, "web-1"));
            assertThatThrownBy(() -> web1.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(ENV, "web-2")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> web1.create().creatingParentsIfNeeded().forPath(ZkLayout.host(ENV, "web-3")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            // a guessed password is another identity, and gets nothing
            try (CuratorFramework guess = as(new Credentials("web-2", "guess"))) {
                assertThatThrownBy(() -> guess.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(ENV, "web-2")))
                        .isInstanceOf(KeeperException.NoAuthException.class);
            }
        }
    }

    @Test
    void anotherSecretRepairsTheAclAndTheOldPasswordNoLongerWorks() throws Exception {
        enrollment.enroll(ENV, "web-4");
        Credentials before = enrollment.credentials("web-4");
        HostEnrollment rotated = new HostEnrollment("eu", control, RolloutCluster.CONTROL, RolloutCluster.HOST_SECRET + "-rotated");
        assertThat(rotated.enroll(ENV, "web-4")).isEqualTo(HostEnrollment.Outcome.ACL_REPAIRED);
        try (CuratorFramework old = as(before); CuratorFramework now = as(rotated.credentials("web-4"))) {
            assertThatThrownBy(() -> old.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(ENV, "web-4")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            now.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(ENV, "web-4"));
        }
    }

    @Test
    void removingAHostTakesItsNodeAndWhatItHolds() throws Exception {
        enrollment.enroll(ENV, "web-5");
        try (CuratorFramework web5 = as(enrollment.credentials("web-5"))) {
            web5.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(ENV, "web-5"));
            assertThat(enrollment.remove(ENV, "web-5")).isTrue();
            assertThat(control.checkExists().forPath(ZkLayout.host(ENV, "web-5"))).isNull();
            assertThatThrownBy(() -> web5.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(ENV, "web-5")))
                    .isInstanceOf(KeeperException.NoNodeException.class);
        }
        assertThat(enrollment.remove(ENV, "web-5")).isFalse();
    }
}
