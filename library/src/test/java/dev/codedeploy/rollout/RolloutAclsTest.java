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
    void aHostCannotChangeDeleteOrAddToAnotherHostsNodes() throws Exception {
        String statusOfA = ZkLayout.hostStatus("production", "host-a");
        HostStatus forged = new HostStatus("host-a", "eu", 1L, 1L, 1, null, null, "forged", null);
        CuratorFramework b = hostB.client();
        assertThatThrownBy(() -> b.setData().forPath(statusOfA, forged.toBytes())).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> b.delete().forPath(statusOfA)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> b.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostPeer("production", "host-a"), forged.toBytes()))
                .isInstanceOf(KeeperException.NoAuthException.class);
        // its own node it may change
        b.setData().forPath(ZkLayout.hostStatus("production", "host-b"), hostB.status().toBytes());
    }

    @Test
    void noHostMayInventAHostAndAnyoneMayRead() throws Exception {
        CuratorFramework b = hostB.client();
        String intruder = ZkLayout.host("production", "intruder");
        assertThatThrownBy(() -> b.create().creatingParentsIfNeeded().forPath(intruder)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> b.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.legacyHost("production", "intruder")))
                .as("the flat layout's parent is closed once no agent of the previous layout is left")
                .isInstanceOf(KeeperException.NoAuthException.class);
        try (CuratorFramework anonymous = ZooKeeperClients.start(RolloutCluster.zk(cluster.regions.get("eu"), null))) {
            assertThatThrownBy(() -> anonymous.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.host("production", "host-a") + "/x"))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThat(anonymous.getData().forPath(ZkLayout.release("production"))).isNotEmpty();
            assertThat(anonymous.getData().forPath(ZkLayout.hostStatus("production", "host-a"))).isNotEmpty();
        }
    }
}
