package dev.codedeploy.agent.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.HostEnrollment;
import dev.codedeploy.rollout.RolloutAcls;
import dev.codedeploy.zookeeper.EphemeralNode;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;

/** An enrolled agent in a region with the rollout's ACLs: its nodes are its own, its neighbours can only read them. */
class AgentZooKeeperTest {

    private static final String SECRET = "agent-test-host-secret-0123";
    private final String connect = EmbeddedServers.zooKeeper().connectString();
    private final String env = "acl-" + System.nanoTime();

    private ZooKeeperConfig as(String user, String password) {
        return new ZooKeeperConfig(connect, null, Duration.ofSeconds(5), user, password);
    }

    @Test
    void anAgentsStatusNodeIsWritableOnlyByItsHostAndReadableByAll() throws Exception {
        Credentials control = new Credentials("control", "control-secret");
        try (CuratorFramework controlPlane = ZooKeeperClients.start(as("control", "control-secret"), RolloutAcls.controlPlane(control, null))) {
            HostEnrollment enrollment = new HostEnrollment("test", controlPlane, control, SECRET);
            enrollment.enroll(env, "web-1");
            enrollment.enroll(env, "web-2");
            try (CuratorFramework web1 = AgentZooKeeper.connect(ZooKeeperConfig.of(connect), enrollment.credentials("web-1"));
                 CuratorFramework web2 = AgentZooKeeper.connect(ZooKeeperConfig.of(connect), enrollment.credentials("web-2"));
                 CuratorFramework anonymous = AgentZooKeeper.connect(ZooKeeperConfig.of(connect));
                 EphemeralNode node = new EphemeralNode(web1, ZkLayout.hostStatus(env, "web-1"), "status".getBytes(), Duration.ofSeconds(1))) {
                node.start();
                String status = ZkLayout.hostStatus(env, "web-1");
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> anonymous.getData().forPath(status) != null);
                // ZooKeeper shows a digest's user, not its hash, to other clients
                assertThat(anonymous.getACL().forPath(status))
                        .extracting(a -> a.getPerms() + " " + a.getId().getScheme() + ":" + a.getId().getId().split(":")[0])
                        .containsExactlyInAnyOrder(ZooDefs.Perms.ALL + " digest:web-1", ZooDefs.Perms.READ + " world:anyone");
                assertThatThrownBy(() -> web2.setData().forPath(status, "forged".getBytes())).isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> web2.delete().forPath(status)).isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> web2.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostPeer(env, "web-1")))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                web2.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(env, "web-2"));
                assertThatThrownBy(() -> anonymous.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostPeer(env, "web-2")))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThat(AgentZooKeeper.isOpen(ZooKeeperConfig.of(connect), enrollment.credentials("web-1"))).isFalse();
                assertThat(AgentZooKeeper.isOpen(ZooKeeperConfig.of(connect), null)).isTrue();
            }
        }
    }
}
