package dev.codedeploy.agent.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.embedded.EmbeddedServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EphemeralNodeTest {

    private final ExecutorService writes = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        writes.shutdownNow();
    }

    private static ZooKeeperConfig config(String connect, String user, Duration session) {
        return new ZooKeeperConfig(connect, session, Duration.ofSeconds(5), user, user == null ? null : user + "-password");
    }

    @Test
    void anAgentsNodeIsWritableOnlyByItselfAndReadableByAll() throws Exception {
        String connect = EmbeddedServers.zooKeeper().connectString();
        String path = "/codedeploy/acl-" + System.nanoTime() + "/hosts/web-1";
        try (CuratorFramework agent = AgentZooKeeper.connect(config(connect, "agent-1", null));
             CuratorFramework other = AgentZooKeeper.connect(config(connect, "agent-2", null));
             CuratorFramework anonymous = AgentZooKeeper.connect(config(connect, null, null));
             EphemeralNode node = new EphemeralNode(agent, path, "one".getBytes(StandardCharsets.UTF_8), writes)) {
            node.start();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> anonymous.getData().forPath(path) != null);
            // (ZooKeeper shows a digest's user, not its hash, to other clients)
            assertThat(anonymous.getACL().forPath(path)).extracting(a -> a.getPerms() + " " + a.getId().getScheme() + ":" + a.getId().getId().split(":")[0])
                    .containsExactlyInAnyOrder(ZooDefs.Perms.ALL + " digest:agent-1", ZooDefs.Perms.READ + " world:anyone");
            assertThatThrownBy(() -> other.setData().forPath(path, "forged".getBytes())).isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> anonymous.delete().forPath(path)).isInstanceOf(KeeperException.NoAuthException.class);
            // another agent can still add its own node beside it
            other.create().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL).forPath(path.replace("web-1", "web-2"));
            node.set("two".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(10)).until(() -> new String(anonymous.getData().forPath(path), StandardCharsets.UTF_8).equals("two"));
        }
    }

    @Test
    void theNodeComesBackWithItsLatestDataAfterTheSessionIsLost() throws Exception {
        // a server of its own with a short tick, so that a 2 s session can expire while it is down
        InstanceSpec spec = new InstanceSpec(EmbeddedServers.newFolder("zk-session").toFile(), -1, -1, -1, true, -1, 500, 100);
        Set<ConnectionState> seen = ConcurrentHashMap.newKeySet();
        try (TestingServer server = new TestingServer(spec, true);
             CuratorFramework agent = AgentZooKeeper.connect(config(server.getConnectString(), null, Duration.ofSeconds(2)));
             CuratorFramework reader = AgentZooKeeper.connect(config(server.getConnectString(), null, Duration.ofSeconds(30)));
             EphemeralNode node = new EphemeralNode(agent, "/codedeploy/x/hosts/web-1", "one".getBytes(), writes)) {
            agent.getConnectionStateListenable().addListener((client, state) -> seen.add(state));
            node.start();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> reader.getData().forPath(node.path()) != null);
            long firstSession = reader.checkExists().forPath(node.path()).getEphemeralOwner();
            server.stop();
            node.set("two".getBytes());
            // Curator declares the session LOST once it was disconnected for the session timeout
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains(ConnectionState.LOST));
            server.restart();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                Stat stat = reader.checkExists().forPath(node.path());
                return stat != null && stat.getEphemeralOwner() != firstSession
                        && new String(reader.getData().forPath(node.path())).equals("two");
            });
        }
    }
}
