package dev.codedeploy.agent.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.release.ZkLayout;
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

/** An agent in a region prepared with the rollout's ACLs: its nodes are its own, its neighbours can only read them. */
class AgentZooKeeperTest {

    private final String connect = EmbeddedServers.zooKeeper().connectString();
    private final String env = "acl-" + System.nanoTime();

    private ZooKeeperConfig as(String user, String password) {
        return new ZooKeeperConfig(connect, null, Duration.ofSeconds(5), user, password);
    }

    @Test
    void anAgentsStatusNodeIsWritableOnlyByItsHostAndReadableByAll() throws Exception {
        Credentials control = new Credentials("control", "control-secret");
        Credentials agents = new Credentials("agents", "agents-secret");
        try (CuratorFramework controlPlane = ZooKeeperClients.start(as("control", "control-secret"), RolloutAcls.controlPlane(control, agents));
             CuratorFramework web1 = AgentZooKeeper.connect(as("agents", "agents-secret"), new Credentials("web-1", "one"));
             CuratorFramework web2 = AgentZooKeeper.connect(as("agents", "agents-secret"), new Credentials("web-2", "two"));
             CuratorFramework anonymous = AgentZooKeeper.connect(ZooKeeperConfig.of(connect))) {
            // what region sync prepares
            controlPlane.create().creatingParentsIfNeeded().forPath(ZkLayout.hosts(env));
            EphemeralNode node = new EphemeralNode(web1, ZkLayout.host(env, "web-1"), "status".getBytes(), Duration.ofSeconds(1));
            node.start();
            try {
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> anonymous.getData().forPath(ZkLayout.host(env, "web-1")) != null);
                // ZooKeeper shows a digest's user, not its hash, to other clients
                assertThat(anonymous.getACL().forPath(ZkLayout.host(env, "web-1")))
                        .extracting(a -> a.getPerms() + " " + a.getId().getScheme() + ":" + a.getId().getId().split(":")[0])
                        .containsExactlyInAnyOrder(ZooDefs.Perms.ALL + " digest:web-1", ZooDefs.Perms.READ + " world:anyone");
                assertThatThrownBy(() -> web2.setData().forPath(ZkLayout.host(env, "web-1"), "forged".getBytes()))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> web2.delete().forPath(ZkLayout.host(env, "web-1"))).isInstanceOf(KeeperException.NoAuthException.class);
                web2.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.host(env, "web-2"));
                assertThatThrownBy(() -> anonymous.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.host(env, "intruder")))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThat(AgentZooKeeper.isOpen(as("agents", "agents-secret"), null)).isFalse();
                assertThat(AgentZooKeeper.isOpen(ZooKeeperConfig.of(connect), null)).isTrue();
            } finally {
                node.close();
            }
        }
    }
}
