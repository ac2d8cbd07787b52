package dev.codedeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RolloutAclsTest {

    private static RolloutCluster cluster;
    private static RolloutControlPlane plane;
    private static SimulatedHost hostA;
    private static SimulatedHost hostB;

    @BeforeAll
    static void publishAndRegister() {
        cluster = new RolloutCluster("eu");
        plane = cluster.controlPlane(cluster.config(RolloutPolicy.DEFAULTS, Duration.ofSeconds(30), Duration.ofSeconds(1)),
                Clock.systemUTC(), EnumSet.of(RolloutControlPlane.Role.REGION_SYNC));
        plane.publish("production", cluster.deployableBuild(), "alice", PublishOptions.DEFAULTS);
        hostA = cluster.host("eu", "host-a", SimulatedHost.Behaviour.HEALTHY);
        hostB = cluster.host("eu", "host-b", SimulatedHost.Behaviour.HEALTHY);
        await().atMost(Duration.ofSeconds(20)).until(() -> hostA.isRegistered() && hostB.isRegistered()
                && hostA.status().targetBuildId() != null);
    }

    @AfterAll
    static void close() {
        cluster.close();
    }

    @Test
    void anAgentCannotWriteTheReleaseOrTheLockInItsRegionOrTheMaster() {
        CuratorFramework agent = hostA.client();
        String release = ZkLayout.release("production");
        assertThatThrownBy(() -> agent.setData().forPath(release, "{}".getBytes())).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> agent.delete().forPath(release)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> agent.create().forPath(ZkLayout.lock("production"), "{}".getBytes()))
                .isInstanceOf(KeeperException.NoAuthException.class);
        try (CuratorFramework agentOnMaster = ZooKeeperClients.start(RolloutCluster.zk(cluster.master, RolloutCluster.AGENTS),
                RolloutAcls.agent(null), RolloutCluster.hostCredentials("host-a"))) {
            assertThatThrownBy(() -> agentOnMaster.setData().forPath(release, "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void anAgentCannotChangeOrDeleteAnotherHostsNode() throws Exception {
        String nodeOfA = ZkLayout.host("production", "host-a");
        HostStatus forged = new HostStatus("host-a", "eu", 1L, 1L, 1, null, null, "forged", null);
        assertThatThrownBy(() -> hostB.client().setData().forPath(nodeOfA, forged.toBytes()))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> hostB.client().delete().forPath(nodeOfA)).isInstanceOf(KeeperException.NoAuthException.class);
        // its own node it may change
        hostB.client().setData().forPath(ZkLayout.host("production", "host-b"), hostB.status().toBytes());
    }

    @Test
    void onlyAgentsMayCreateUnderHostsButAnyoneMayRead() throws Exception {
        try (CuratorFramework anonymous = ZooKeeperClients.start(RolloutCluster.zk(cluster.regions.get("eu"), null))) {
            assertThatThrownBy(() -> anonymous.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.host("production", "intruder")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThat(anonymous.getData().forPath(ZkLayout.release("production"))).isNotEmpty();
            assertThat(anonymous.getChildren().forPath(ZkLayout.hosts("production"))).contains("host-a", "host-b");
        }
    }
}
