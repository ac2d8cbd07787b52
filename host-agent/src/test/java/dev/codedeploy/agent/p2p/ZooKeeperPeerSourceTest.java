package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bt.net.Peer;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.release.PeerAddress;
import dev.codedeploy.release.ZkLayout;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZooKeeperPeerSourceTest {

    private final CuratorFramework zk = AgentZooKeeper.connect(ZooKeeperConfig.of(EmbeddedServers.zooKeeper().connectString()));
    private final String env = "peers-" + System.nanoTime();

    @AfterEach
    void close() {
        zk.close();
    }

    private void peer(String host, byte[] data) throws Exception {
        zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.peer(env, 9, host), data);
    }

    @Test
    void readsThePeersOfItsBuildLeavingOutItselfAndInvalidEntries() throws Exception {
        peer("web-1", new PeerAddress("web-1", "10.0.0.1", 6891).toBytes());
        peer("web-2", new PeerAddress("web-2", "10.0.0.2", 6892).toBytes());
        peer("self", new PeerAddress("self", "10.0.0.9", 6891).toBytes());
        peer("named", new PeerAddress("named", "evil.example.com", 6891).toBytes());
        peer("garbage", "{not json".getBytes());
        AtomicBoolean downloading = new AtomicBoolean(true);
        ZooKeeperPeerSource source = new ZooKeeperPeerSource(zk, env, 9, "self", 10, downloading::get);
        assertThat(source.update()).isTrue();
        assertThat(source.getPeers()).extracting(p -> p.getInetAddress().getHostAddress() + ":" + p.getPort())
                .containsExactlyInAnyOrder("10.0.0.1:6891", "10.0.0.2:6892");
        // bt removes what it consumed: every call gives a fresh list
        source.getPeers().clear();
        assertThat(source.getPeers()).hasSize(2);

        zk.delete().forPath(ZkLayout.peer(env, 9, "web-1"));
        peer("web-3", new PeerAddress("web-3", "10.0.0.3", 6891).toBytes());
        assertThat(source.update()).isTrue();
        assertThat(source.getPeers()).extracting(Peer::getPort).hasSize(2);
        assertThat(source.getPeers()).extracting(p -> p.getInetAddress().getHostAddress()).containsExactlyInAnyOrder("10.0.0.2", "10.0.0.3");

        // a complete download asks nobody
        downloading.set(false);
        assertThat(source.update()).isFalse();
    }

    @Test
    void takesAtMostMaxPeersAndNothingForAnUnknownBuild() throws Exception {
        for (int i = 0; i < 8; i++) {
            peer("web-" + i, new PeerAddress("web-" + i, "10.0.1." + i, 6891).toBytes());
        }
        ZooKeeperPeerSource source = new ZooKeeperPeerSource(zk, env, 9, "self", 3, () -> true);
        source.update();
        assertThat(source.getPeers()).hasSize(3);
        assertThat(new ZooKeeperPeerSource(zk, env, 10, "self", 3, () -> true).update()).isFalse();
    }

    @Test
    void anAddressMustBeAnIpLiteralWithAPort() {
        assertThatThrownBy(() -> ZooKeeperPeerSource.toPeer(new PeerAddress("h", "host.example", 1), "n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("literal");
        assertThatThrownBy(() -> ZooKeeperPeerSource.toPeer(new PeerAddress("h", "10.0.0.1", 0), "n")).hasMessageContaining("port");
        assertThat(ZooKeeperPeerSource.toPeer(new PeerAddress("h", "::1", 7), "n").getPort()).isEqualTo(7);
    }
}
