package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.agent.zk.PeerDiscovery;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.release.PeerAddress;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
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

    private void peer(String host, String address) throws Exception {
        zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostPeer(env, host),
                new PeerAddress(host, address, 6891, null, null, List.of(9L)).toBytes());
    }

    @Test
    void givesBtThePeersOfItsBuildWithIpLiteralsOnlyAndNothingOnceComplete() throws Exception {
        peer("web-1", "10.0.0.1");
        peer("web-2", "10.0.0.2");
        peer("named", "evil.example.com");
        AtomicBoolean downloading = new AtomicBoolean(true);
        ZooKeeperPeerSource source = new ZooKeeperPeerSource(
                new PeerDiscovery(zk, env, 9, "self", null, 10, Clock.systemUTC(), new SplittableRandom(1)), downloading::get, () -> true);
        assertThat(source.update()).isTrue();
        assertThat(source.getPeers()).extracting(p -> p.getInetAddress().getHostAddress() + ":" + p.getPort())
                .containsExactlyInAnyOrder("10.0.0.1:6891", "10.0.0.2:6891");
        // bt removes what it consumed: every call gives a fresh list
        source.getPeers().clear();
        assertThat(source.getPeers()).hasSize(2);
        // a complete download asks nobody
        downloading.set(false);
        assertThat(source.update()).isFalse();
    }

    @Test
    void aHostThatFoundNobodyAsksAgainSoonThenAtTheIntervalAndNeverMoreOftenThanItsPaceSays() throws Exception {
        MutableClock clock = new MutableClock();
        ZooKeeperPeerSource source = new ZooKeeperPeerSource(new PeerDiscovery(zk, env, 9, "self", null, 10, clock, new SplittableRandom(1)),
                () -> true, () -> true, new DiscoveryPace(Duration.ofSeconds(5), clock));
        assertThat(source.update()).as("the first round: nobody serves build 9 yet").isFalse();
        peer("web-1", "10.0.0.1");
        assertThat(source.update()).as("not due: bt asks every 500 ms, the source reads only when its pace says").isFalse();
        clock.advance(DiscoveryPace.FIRST_RETRY);
        assertThat(source.update()).as("the first retry, half a second after a round that found nobody").isTrue();
        assertThat(source.getPeers()).hasSize(1);
        peer("web-2", "10.0.0.2");
        clock.advance(Duration.ofSeconds(4));
        assertThat(source.update()).as("with a peer known, the next round waits the whole interval").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(source.update()).isTrue();
        assertThat(source.getPeers()).hasSize(2);
    }

    @Test
    void roundsThatFindNobodyBackOffToTheInterval() {
        MutableClock clock = new MutableClock();
        DiscoveryPace pace = new DiscoveryPace(Duration.ofSeconds(5), clock);
        List<Long> waits = new java.util.ArrayList<>();
        for (int round = 0; round < 6; round++) {
            assertThat(pace.due()).isTrue();
            pace.roundFound(0);
            long waited = 0;
            while (!pace.due() && waited < 10_000) {
                clock.advance(Duration.ofMillis(100));
                waited += 100;
            }
            waits.add(waited);
        }
        assertThat(waits).containsExactly(500L, 1000L, 2000L, 4000L, 5000L, 5000L);
        pace.roundFound(3);
        pace.roundFound(0);
        clock.advance(DiscoveryPace.FIRST_RETRY);
        assertThat(pace.due()).as("a host that lost its peers starts again from the first retry").isTrue();
        assertThat(DiscoveryPace.btInterval(Duration.ofSeconds(5))).isEqualTo(DiscoveryPace.FIRST_RETRY);
        assertThat(DiscoveryPace.btInterval(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void anAddressMustBeAnIpLiteralWithAPort() {
        assertThatThrownBy(() -> ZooKeeperPeerSource.toPeer(new PeerAddress("h", "host.example", 1), "n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("literal");
        assertThatThrownBy(() -> ZooKeeperPeerSource.toPeer(new PeerAddress("h", "10.0.0.1", 0), "n")).hasMessageContaining("port");
        assertThat(ZooKeeperPeerSource.toPeer(new PeerAddress("h", "::1", 7), "n").getPort()).isEqualTo(7);
    }
}
