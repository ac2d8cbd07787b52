package dev.codedeploy.agent.zk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.release.HostBuckets;
import dev.codedeploy.release.PeerAddress;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerDiscoveryTest {

    private static final long BUILD = 42;
    private final CuratorFramework zk = AgentZooKeeper.connect(ZooKeeperConfig.of(EmbeddedServers.zooKeeper().connectString()));
    private final String env = "discovery-" + System.nanoTime();
    private final MutableClock clock = new MutableClock();

    @AfterEach
    void close() {
        zk.close();
    }

    /** Peer nodes of {@code hosts} in {@code zone}, serving {@code builds}, written in batches. */
    private void peers(List<String> hosts, String zone, List<Long> builds) throws Exception {
        for (String host : hosts) {
            zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.host(env, host));
        }
        List<CuratorOp> ops = new ArrayList<>();
        for (String host : hosts) {
            ops.add(zk.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostPeer(env, host),
                    new PeerAddress(host, "10.0.0.1", 6891, zone, null, builds).toBytes()));
            if (ops.size() == 200) {
                zk.transaction().forOperations(ops);
                ops.clear();
            }
        }
        if (!ops.isEmpty()) {
            zk.transaction().forOperations(ops);
        }
    }

    private static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    private PeerDiscovery discovery(String self, String zone, int maxPeers) {
        return new PeerDiscovery(zk, env, BUILD, self, zone, maxPeers, clock, new SplittableRandom(7));
    }

    /** A host id that bridges the zones for {@link #BUILD} (or does not). */
    private static String host(boolean bridge) {
        return IntStream.range(0, 10_000).mapToObj(i -> "self-" + i).filter(h -> ZonePreference.isBridge(h, BUILD) == bridge)
                .findFirst().orElseThrow();
    }

    @Test
    void aHostNeverReadsMoreThanItsSampleAndFindsNewPeersWhenItRefreshes() throws Exception {
        peers(names("web-", 600), null, List.of(BUILD));
        PeerDiscovery discovery = discovery(host(false), null, 50);
        List<PeerAddress> first = discovery.round(true);
        PeerDiscovery.Stats stats = discovery.stats();
        assertThat(stats.reads()).isEqualTo(PeerDiscovery.READS_PER_ROUND);
        assertThat(stats.listings()).isBetween(1, PeerDiscovery.LISTINGS_PER_ROUND);
        assertThat(first).hasSize(PeerDiscovery.READS_PER_ROUND);
        // rounds go on until the sample is full, each within its budget
        for (int i = 0; i < 5; i++) {
            int readsBefore = discovery.stats().reads();
            discovery.round(true);
            assertThat(discovery.stats().reads() - readsBefore).isLessThanOrEqualTo(PeerDiscovery.READS_PER_ROUND);
        }
        List<PeerAddress> full = discovery.round(true);
        assertThat(full).hasSize(50);
        int readsWhenFull = discovery.stats().reads();
        assertThat(readsWhenFull).isLessThanOrEqualTo(50 + PeerDiscovery.READS_PER_ROUND);
        assertThat(discovery.stats().namesListed()).as("a few buckets, not the swarm").isLessThan(600);
        // a full sample costs nothing until its refresh
        clock.advance(PeerDiscovery.REFRESH.minusSeconds(1));
        discovery.round(true);
        assertThat(discovery.stats().reads()).isEqualTo(readsWhenFull);
        clock.advance(Duration.ofSeconds(2));
        Set<String> before = hosts(full);
        List<PeerAddress> refreshed = discovery.round(true);
        assertThat(discovery.stats().reads() - readsWhenFull).isLessThanOrEqualTo(PeerDiscovery.READS_PER_REFRESH).isPositive();
        assertThat(discovery.stats().sampleFull()).isTrue();
        assertThat(refreshed).hasSize(50);
        assertThat(hosts(refreshed)).as("new peers rotate in").isNotEqualTo(before);
        assertThat(discovery.stats().largestListing()).isLessThan(20);
    }

    private static Set<String> hosts(List<PeerAddress> peers) {
        Set<String> hosts = new HashSet<>();
        peers.forEach(p -> hosts.add(p.host()));
        return hosts;
    }

    @Test
    void onlyPeersServingTheBuildAndNamingThemselvesAreTakenNeverItself() throws Exception {
        String self = host(false);
        peers(List.of("old-1", "old-2"), null, List.of(BUILD - 1));
        peers(List.of("new-1", self), null, List.of(BUILD - 1, BUILD));
        zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.host(env, "liar"));
        zk.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostPeer(env, "liar"),
                new PeerAddress("new-1", "10.6.6.6", 6891, null, null, List.of(BUILD)).toBytes());
        PeerDiscovery discovery = discovery(self, null, 10);
        assertThat(hosts(discovery.round(true))).containsExactly("new-1");
        // one joins later: a host whose sample is not full keeps looking
        peers(List.of("late"), null, List.of(BUILD));
        List<PeerAddress> later = List.of();
        for (int i = 0; i < HostBuckets.COUNT / PeerDiscovery.LISTINGS_PER_ROUND + 1 && later.size() < 2; i++) {
            later = discovery.round(true);
        }
        assertThat(hosts(later)).containsExactlyInAnyOrder("new-1", "late");
    }

    @Test
    void peersOfTheHostsZoneComeFirstAndOtherZonesOnlyToBridgeOrToFillWhatItsZoneLacks() throws Exception {
        peers(names("a-", 120), "zone-a", List.of(BUILD));
        peers(names("b-", 120), "zone-b", List.of(BUILD));
        PeerDiscovery plain = discovery(host(false), "zone-a", 20);
        List<PeerAddress> sample = List.of();
        for (int i = 0; i < 10; i++) {
            sample = plain.round(true);
        }
        assertThat(sample).hasSize(20).allMatch(p -> p.zone().equals("zone-a"));

        PeerDiscovery bridge = discovery(host(true), "zone-a", 20);
        for (int i = 0; i < 10; i++) {
            sample = bridge.round(true);
        }
        assertThat(sample.stream().filter(p -> p.zone().equals("zone-b"))).hasSize(ZonePreference.BRIDGE_PEERS);

        // a host that no peer offered a piece for a while takes other zones too
        PeerDiscovery starving = discovery(host(false), "zone-a", 200);
        starving.round(false);
        assertThat(starving.round(false)).allMatch(p -> p.zone().equals("zone-a"));
        clock.advance(PeerDiscovery.STARVING_AFTER);
        assertThat(starving.round(false)).anyMatch(p -> p.zone().equals("zone-b"));
        assertThat(starving.round(true)).allMatch(p -> p.zone().equals("zone-a"));
    }

    @Test
    void aZoneWithTooFewPeersIsFilledFromOthersOnceEveryBucketWasSeen() throws Exception {
        peers(names("a-", 3), "zone-a", List.of(BUILD));
        peers(names("b-", 30), "zone-b", List.of(BUILD));
        PeerDiscovery discovery = discovery(host(false), "zone-a", 10);
        List<PeerAddress> sample = discovery.round(true);
        for (int i = 0; i < HostBuckets.COUNT / PeerDiscovery.LISTINGS_PER_ROUND + 2; i++) {
            sample = discovery.round(true);
        }
        assertThat(sample).hasSize(10);
        assertThat(sample.stream().filter(p -> p.zone().equals("zone-a"))).hasSize(3);
    }
}
