package dev.codedeploy.sandbox.cluster;

import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.agent.install.InstallConfig;
import dev.codedeploy.agent.p2p.PeerNetworkConfig;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedZooKeeper;
import dev.codedeploy.testing.ReleaseFixture;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.release.ZkLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * One region on this machine for the agent scenarios: its own ZooKeeper and S3 (under the run's folder), a bucket,
 * a {@link ReleaseFixture} that stores builds and publishes signed releases, and agent processes on loopback. Closing
 * it kills every agent it started and stops its servers.
 */
public final class AgentRegion implements AutoCloseable {

    /** The environment every agent of the region follows. */
    public static final String ENVIRONMENT = "sandbox";

    private final Path folder;
    private final EmbeddedZooKeeper zooKeeper;
    private final EmbeddedS3 s3;
    private final BlobStoreConfig bucket;
    private final S3BlobStore store;
    private final CuratorFramework zk;
    private final ReleaseFixture releases;
    private final AgentLauncher launcher;
    private final List<AgentProcess> processes = new ArrayList<>();
    private boolean closed;

    private AgentRegion(Path folder, EmbeddedZooKeeper zooKeeper, EmbeddedS3 s3) {
        this.folder = folder;
        this.zooKeeper = zooKeeper;
        this.s3 = s3;
        this.bucket = BlobStoreConfig.of(s3.endpoint(), "builds-sandbox", EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY);
        this.store = new S3BlobStore("sandbox", bucket);
        store.createBucketIfMissing();
        this.zk = AgentZooKeeper.connect(ZooKeeperConfig.of(zooKeeper.connectString()));
        this.releases = new ReleaseFixture(store, ReleaseKeys.generate(), ENVIRONMENT, folder.resolve("builds"));
        this.launcher = new AgentLauncher(folder.resolve("agents"));
    }

    /** Starts the region's servers under {@code folder}. */
    public static AgentRegion start(Path folder) {
        EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(folder.resolve("zookeeper"));
        try {
            return new AgentRegion(folder, zooKeeper, EmbeddedS3.start(folder.resolve("s3")));
        } catch (RuntimeException e) {
            zooKeeper.close();
            throw e;
        }
    }

    /** Stores builds and publishes releases. */
    public ReleaseFixture releases() {
        return releases;
    }

    /** The regional bucket. */
    public S3BlobStore store() {
        return store;
    }

    /** A client of the regional ZooKeeper. */
    public CuratorFramework zk() {
        return zk;
    }

    /** The folder of agent data, configurations and logs. */
    public Path folder() {
        return folder;
    }

    /** The configuration of an agent on loopback, with intervals short enough for a scenario. */
    public AgentConfig config(String host, Path dataDir) {
        PeerNetworkConfig bt = new PeerNetworkConfig("127.0.0.1", null, freePort(), Duration.ofMillis(500), null, null,
                Duration.ofMinutes(2), null, Duration.ofSeconds(15), null, null);
        return new AgentConfig(host, ENVIRONMENT, "sandbox", dataDir.toString(), releases.publicKeyText(),
                ZooKeeperConfig.of(zooKeeper.connectString()), null, bucket, AgentConfig.Distribution.P2P, bt,
                new InstallConfig(2, 0L), Duration.ofSeconds(2), Duration.ofMillis(250));
    }

    /** The default data folder of {@code host}. */
    public Path dataDir(String host) {
        return folder.resolve("hosts").resolve(host);
    }

    /** Starts an agent process for {@code config} ({@code seeder}: the regional seeder). */
    public synchronized AgentProcess start(AgentConfig config, boolean seeder) {
        AgentProcess process = launcher.start(config, seeder, null);
        processes.add(process);
        return process;
    }

    /** Starts {@code process} again with its configuration. */
    public synchronized AgentProcess restart(AgentProcess process) {
        AgentProcess again = process.restart();
        processes.add(again);
        return again;
    }

    /** Signs and publishes {@code release} in the regional ZooKeeper. */
    public void publish(Release release) {
        releases.publish(zk, release);
    }

    /** What {@code host} reports, or null. */
    public HostStatus status(String host) {
        try {
            return HostStatus.fromBytes(zk.getData().forPath(ZkLayout.hostStatus(ENVIRONMENT, host)), host);
        } catch (KeeperException.NoNodeException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the status of " + host + ": " + e.getMessage(), e);
        }
    }

    /** What each of {@code hosts} reports (null when nothing). */
    public Map<String, HostStatus> statuses(Collection<String> hosts) {
        Map<String, HostStatus> result = new LinkedHashMap<>();
        hosts.forEach(h -> result.put(h, status(h)));
        return result;
    }

    /**
     * Waits until every one of {@code hosts} reports a status matching {@code condition}.
     *
     * @return true when they did, false at the timeout
     */
    public boolean await(Collection<String> hosts, Predicate<HostStatus> condition, Duration timeout) throws Exception {
        return Wait.until(timeout, () -> hosts.stream().map(this::status).allMatch(s -> s != null && condition.test(s)));
    }

    /** True when {@code status} is {@code state} for build {@code build}. */
    public static Predicate<HostStatus> in(dev.codedeploy.release.HostState state, long build) {
        return s -> s.state() == state && s.targetBuildId() != null && s.targetBuildId() == build;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills every agent and stops the servers; closing twice does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        processes.forEach(AgentProcess::close);
        zk.close();
        store.close();
        s3.close();
        zooKeeper.close();
    }
}
