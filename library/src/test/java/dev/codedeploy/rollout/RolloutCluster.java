package dev.codedeploy.rollout;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.EmbeddedZooKeeper;
import dev.codedeploy.testing.SimulatedBuilds;
import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.testing.TestServers;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import org.apache.curator.framework.CuratorFramework;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A master and regional ZooKeeper servers of their own, a fresh database and bucket on the shared servers, keys, and
 * control planes and simulated hosts over them: the rollout tests' world. Close it after each test class.
 */
final class RolloutCluster implements AutoCloseable {

    static final Credentials CONTROL = new Credentials("control", "control-secret");
    static final Credentials AGENTS = new Credentials("agent", "agent-secret");
    private static final AtomicInteger SHAS = new AtomicInteger();

    final EmbeddedZooKeeper master;
    final Map<String, EmbeddedZooKeeper> regions = new LinkedHashMap<>();
    private Database database;
    private S3BlobStore blobs;
    final KeyPair keys = ReleaseKeys.generate();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    RolloutCluster(String... regionNames) {
        master = EmbeddedZooKeeper.start(EmbeddedServers.newFolder("zk-master"));
        for (String name : regionNames) {
            regions.put(name, EmbeddedZooKeeper.start(EmbeddedServers.newFolder("zk-" + name)));
        }
    }

    /** The database, made on first use (tests of ZooKeeper alone do without). */
    synchronized Database database() {
        if (database == null) {
            database = TestServers.newDatabase(6);
        }
        return database;
    }

    /** The master blob store, made on first use. */
    synchronized S3BlobStore blobs() {
        if (blobs == null) {
            BlobStoreConfig bucket = TestServers.newBucketConfig();
            blobs = TestServers.newBlobStore("master", bucket);
        }
        return blobs;
    }

    static ZooKeeperConfig zk(EmbeddedZooKeeper server, Credentials who) {
        return new ZooKeeperConfig(server.connectString(), Duration.ofSeconds(10), Duration.ofSeconds(5),
                who == null ? null : who.user(), who == null ? null : who.password());
    }

    List<RegionConfig> regionConfigs() {
        List<RegionConfig> list = new ArrayList<>();
        regions.forEach((name, server) -> list.add(new RegionConfig(name, TestServers.newBucketConfig(), zk(server, CONTROL))));
        return list;
    }

    RolloutConfig config(RolloutPolicy policy, Duration pollInterval, Duration checkInterval) {
        return config(Map.of("production", policy), pollInterval, checkInterval);
    }

    /** The keys the control plane's records verify with (key id "test"). */
    dev.codedeploy.release.ReleaseKeyring keyring() {
        return dev.codedeploy.release.ReleaseKeyring.of(Map.of("test", keys.getPublic()));
    }

    RolloutConfig config(Map<String, RolloutPolicy> policies, Duration pollInterval, Duration checkInterval) {
        return new RolloutConfig(ReleaseKeys.encode(keys.getPrivate()), ReleaseKeys.encode(keys.getPublic()), "test", AGENTS.user(),
                AGENTS.password(), pollInterval, checkInterval, policies, null, null);
    }

    /** A started control plane. */
    RolloutControlPlane controlPlane(RolloutConfig config, Clock clock, Set<RolloutControlPlane.Role> roles) {
        RolloutControlPlane plane = new RolloutControlPlane(database(), blobs(), zk(master, CONTROL), regionConfigs(), config, clock, roles);
        closeables.add(plane);
        plane.start();
        return plane;
    }

    /** A deployable build of a new commit. */
    long deployableBuild() {
        String sha = String.format("%040x", SHAS.incrementAndGet() + (long) System.identityHashCode(this) * 1000);
        return SimulatedBuilds.deployable(database(), blobs(), regions.keySet(), sha);
    }

    /** A simulated host with its own credentials in {@code region}. */
    SimulatedHost host(String region, String hostId, SimulatedHost.Behaviour behaviour) {
        return host(region, "production", hostId, behaviour);
    }

    /** A simulated host of {@code environment} with its own credentials in {@code region}. */
    SimulatedHost host(String region, String environment, String hostId, SimulatedHost.Behaviour behaviour) {
        SimulatedHost host = new SimulatedHost(zk(regions.get(region), AGENTS), hostCredentials(hostId), region, environment, hostId,
                keys.getPublic(), behaviour);
        closeables.add(host);
        return host;
    }

    /** A control-plane client of {@code server}, creating nodes with the control plane's ACLs. */
    CuratorFramework controlClient(EmbeddedZooKeeper server) {
        CuratorFramework client = ZooKeeperClients.start(zk(server, CONTROL), RolloutAcls.controlPlane(CONTROL, AGENTS));
        closeables.add(client);
        return client;
    }

    static Credentials hostCredentials(String hostId) {
        return new Credentials(hostId, "pw-" + hostId);
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // closing everything
            }
        }
        if (blobs != null) {
            blobs.close();
        }
        if (database != null) {
            database.close();
        }
        regions.values().forEach(EmbeddedZooKeeper::close);
        master.close();
    }
}
