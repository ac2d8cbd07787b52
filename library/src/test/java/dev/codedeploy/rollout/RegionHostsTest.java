package dev.codedeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.testing.ZooKeeperSessions;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane's view of a region's hosts, read through the buckets: what the driver and {@code codedeploy
 * status} count. Host nodes are written here by a control-plane client (which may write any of them): what is
 * tested is the reading.
 */
class RegionHostsTest {

    private static final String ENV = "production";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private RolloutCluster cluster;
    private CuratorFramework writer;
    private CuratorFramework trackerClient;
    private RolloutTracker tracker;
    private HostEnrollment enrollment;

    @BeforeEach
    void start() {
        cluster = new RolloutCluster("eu");
        writer = cluster.controlClient(cluster.regions.get("eu"), RolloutCluster.AGENTS);
        trackerClient = cluster.controlClient(cluster.regions.get("eu"));
        enrollment = new HostEnrollment("eu", writer, RolloutCluster.CONTROL, RolloutCluster.HOST_SECRET);
        tracker = new RolloutTracker(List.of(new ReleaseNodes(trackerClient, cluster.keyring(), "eu")));
    }

    @AfterEach
    void stop() {
        tracker.close();
        cluster.close();
    }

    private static HostStatus status(String host, long build, HostState state) {
        return new HostStatus(host, "eu", build, build, 1, state, new HostStatus.Progress(1, 2, 1, 2, 3), null, Instant.now());
    }

    /** A host of the bucketed layout reporting {@code state} on {@code build}. */
    private void reports(String host, long build, HostState state) throws Exception {
        enrollment.enroll(ENV, host);
        String path = ZkLayout.hostStatus(ENV, host);
        if (writer.checkExists().forPath(path) == null) {
            writer.create().withMode(CreateMode.EPHEMERAL).forPath(path, status(host, build, state).toBytes());
        } else {
            writer.setData().forPath(path, status(host, build, state).toBytes());
        }
    }

    /** A host whose agent is still of the previous, flat layout. */
    private void reportsFlat(String host, long build, HostState state) throws Exception {
        writer.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.legacyHost(ENV, host),
                status(host, build, state).toBytes());
    }

    private Map<HostState, Integer> counts(long build) {
        RegionStatus region = tracker.status(ENV, null).regions().get(0);
        return region.builds().getOrDefault(build, Map.of());
    }

    @Test
    void hostsOfBothLayoutsAreCountedDuringAnUpgrade() throws Exception {
        for (int i = 0; i < 40; i++) {
            reports("new-" + i, 7, i % 4 == 0 ? HostState.FAILED : HostState.HEALTHY);
        }
        for (int i = 0; i < 10; i++) {
            reportsFlat("old-" + i, 7, HostState.HEALTHY);
        }
        assertThat(counts(7)).containsEntry(HostState.HEALTHY, 40).containsEntry(HostState.FAILED, 10);
        assertThat(tracker.hosts(ENV)).hasSize(50).allSatisfy(s -> assertThat(s.progress()).as("progress is not kept").isNull());
        // changes after the load arrive through the one recursive watch
        reports("new-1", 7, HostState.FAILED);
        writer.delete().forPath(ZkLayout.legacyHost(ENV, "old-3"));
        reports("new-40", 7, HostState.HEALTHY);
        await().atMost(PATIENCE).until(() -> counts(7).equals(Map.of(HostState.HEALTHY, 39, HostState.FAILED, 11)));
    }

    @Test
    void aStatusInAnotherHostsNodeOrTooLargeIsNotCounted() throws Exception {
        reports("web-1", 7, HostState.HEALTHY);
        enrollment.enroll(ENV, "web-2");
        writer.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(ENV, "web-2"),
                status("web-1", 7, HostState.FAILED).toBytes());
        enrollment.enroll(ENV, "web-3");
        writer.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(ENV, "web-3"), new byte[RegionHosts.MAX_STATUS_BYTES + 1]);
        assertThat(counts(7)).isEqualTo(Map.of(HostState.HEALTHY, 1));
        assertThat(tracker.hosts(ENV)).extracting(HostStatus::host).containsExactly("web-1");
    }

    @Test
    void afterItsSessionExpiresTheViewIsLoadedAgain() throws Exception {
        reports("web-1", 7, HostState.HEALTHY);
        reports("web-2", 7, HostState.HEALTHY);
        assertThat(counts(7)).isEqualTo(Map.of(HostState.HEALTHY, 2));
        long expired = ZooKeeperSessions.expire(trackerClient);
        // while the tracker has no session, one host leaves and one changes: only a new load can tell
        writer.delete().forPath(ZkLayout.hostStatus(ENV, "web-1"));
        reports("web-2", 7, HostState.FAILED);
        await().atMost(PATIENCE).until(() -> ZooKeeperClients.sessionId(trackerClient) != expired
                && counts(7).equals(Map.of(HostState.FAILED, 1)));
    }
}
