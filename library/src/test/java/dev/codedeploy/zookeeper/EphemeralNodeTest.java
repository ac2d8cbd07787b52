package dev.codedeploy.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.EmbeddedZooKeeper;
import dev.codedeploy.testing.ZooKeeperSessions;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EphemeralNodeTest {

    private static EmbeddedZooKeeper server;
    private static CuratorFramework observer;

    @BeforeAll
    static void start() {
        server = EmbeddedZooKeeper.start(EmbeddedServers.newFolder("zk-ephemeral"));
        observer = ZooKeeperClients.start(ZooKeeperConfig.of(server.connectString()));
    }

    @AfterAll
    static void stop() {
        observer.close();
        server.close();
    }

    private static String dataAt(String path) throws Exception {
        return observer.checkExists().forPath(path) == null ? null : new String(observer.getData().forPath(path));
    }

    @Test
    void theNodeAppearsOnceItsParentExistsAndFollowsTheLatestData() throws Exception {
        try (CuratorFramework client = ZooKeeperClients.start(ZooKeeperConfig.of(server.connectString()));
             EphemeralNode node = new EphemeralNode(client, "/late/parent/node", "one".getBytes(), Duration.ofMillis(200))) {
            node.start();
            observer.create().creatingParentsIfNeeded().forPath("/late/parent");
            await().atMost(Duration.ofSeconds(10)).until(() -> "one".equals(dataAt("/late/parent/node")));
            node.setData("two".getBytes());
            await().atMost(Duration.ofSeconds(10)).until(() -> "two".equals(dataAt("/late/parent/node")) && node.isCurrent());
        }
        // closing removes it
        assertThat(dataAt("/late/parent/node")).isNull();
    }

    @Test
    void theNodeComesBackUnderTheNewSessionAfterItsSessionExpired() throws Exception {
        observer.create().creatingParentsIfNeeded().forPath("/hosts");
        try (CuratorFramework client = ZooKeeperClients.start(ZooKeeperConfig.of(server.connectString()));
             EphemeralNode node = new EphemeralNode(client, "/hosts/h1", "up".getBytes(), Duration.ofSeconds(30))) {
            node.start();
            await().atMost(Duration.ofSeconds(10)).until(node::isCurrent);
            long expired = ZooKeeperSessions.expire(client);
            node.setData("after".getBytes());
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Stat stat = observer.checkExists().forPath("/hosts/h1");
                return stat != null && stat.getEphemeralOwner() != expired && stat.getEphemeralOwner() == ZooKeeperClients.sessionId(client)
                        && "after".equals(dataAt("/hosts/h1"));
            });
            assertThat(node.isCurrent()).isTrue();
        }
    }
}
