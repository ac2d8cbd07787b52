package dev.codedeploy.agent.testing;

import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.agent.install.InstallConfig;
import dev.codedeploy.agent.p2p.PeerNetworkConfig;
import dev.codedeploy.agent.report.AgentMetricsConfig;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.ReleaseFixture;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.PeerAddress;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.release.ZkLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** A region for agent tests: a bucket on the shared S3, an environment on the shared ZooKeeper, a release fixture. */
public final class AgentFixture implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    public final String environment = "test-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    public final Path work = EmbeddedServers.newFolder("agent");
    public final BlobStoreConfig bucket = BlobStoreConfig.of(EmbeddedServers.s3().endpoint(), environment,
            EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY);
    public final S3BlobStore store = new S3BlobStore("test", bucket);
    public final CuratorFramework zk = AgentZooKeeper.connect(ZooKeeperConfig.of(EmbeddedServers.zooKeeper().connectString()));
    public final ReleaseFixture releases;

    public AgentFixture() {
        store.createBucketIfMissing();
        releases = new ReleaseFixture(store, ReleaseKeys.generate(), environment, work.resolve("builds"));
    }

    /** An agent configuration for {@code host} with fast intervals, listening on a free loopback port. */
    public AgentConfig config(String host, AgentConfig.Distribution distribution, Long reserveMb) {
        PeerNetworkConfig bt = new PeerNetworkConfig("127.0.0.1", null, Artifacts.freePort(), Duration.ofMillis(300), null, null,
                Duration.ofSeconds(30), null, null, null, null);
        return new AgentConfig(host, environment, "test", work.resolve(host).toString(), releases.publicKeyText(),
                ZooKeeperConfig.of(EmbeddedServers.zooKeeper().connectString()), null, bucket, distribution, bt,
                new InstallConfig(2, reserveMb == null ? 0L : reserveMb), Duration.ofMillis(500), Duration.ofMillis(100));
    }

    /** {@code config} serving its metrics on a free loopback port. */
    public static AgentConfig withMetrics(AgentConfig c) {
        return new AgentConfig(c.hostId(), c.environment(), c.region(), c.dataDir(), c.releasePublicKey(), c.zooKeeper(), c.hostPassword(),
                c.blobStore(), c.distribution(), c.bt(), c.install(), c.retryInterval(), c.progressInterval(), c.zone(), c.rack(),
                c.releasePublicKeys(), c.maxReleaseAge(), c.hookEnvironment(), new AgentMetricsConfig("127.0.0.1", 0));
    }

    /** What {@code host} reports, or null. */
    public HostStatus status(String host) {
        byte[] data = data(ZkLayout.hostStatus(environment, host));
        return data == null ? null : HostStatus.fromBytes(data, host);
    }

    /** What {@code host} publishes to its peers, or null. */
    public PeerAddress peer(String host) {
        byte[] data = data(ZkLayout.hostPeer(environment, host));
        return data == null ? null : PeerAddress.fromBytes(data, host);
    }

    /** True when {@code host} says it serves {@code build} to its peers. */
    public boolean serves(String host, long build) {
        PeerAddress peer = peer(host);
        return peer != null && peer.serves(build);
    }

    private byte[] data(String path) {
        try {
            return zk.getData().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        zk.close();
        store.close();
    }
}
