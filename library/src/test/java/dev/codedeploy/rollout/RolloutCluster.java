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
    /** The shared identity of agents of the previous, flat layout (for upgrade tests only). */
    static final Credentials AGENTS = new Credentials("agent", "agent-secret");
    /** {@code rollout.hostSecret}: the hosts' passwords are derived from it. */
    static final String HOST_SECRET = "test-host-secret-0123456789";
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
        return new RolloutConfig(ReleaseKeys.encode(keys.getPrivate()), ReleaseKeys.encode(keys.getPublic()), "test", null, null,
                pollInterval, checkInterval, policies, HOST_SECRET);
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

    /** A simulated host, enrolled, with its own credentials in {@code region}. */
    SimulatedHost host(String region, String hostId, SimulatedHost.Behaviour behaviour) {
        return host(region, "production", hostId, behaviour);
    }

    /** A simulated host of {@code environment}, enrolled, with its own credentials in {@code region}. */
    SimulatedHost host(String region, String environment, String hostId, SimulatedHost.Behaviour behaviour) {
        enroll(region, environment, hostId);
        SimulatedHost host = new SimulatedHost(zk(regions.get(region), null), hostCredentials(hostId), region, environment, hostId,
                keys.getPublic(), behaviour);
        closeables.add(host);
        return host;
    }

    /** Enrolls {@code hostId} in {@code region}, as {@code codedeploy hosts enroll} does. */
    void enroll(String region, String environment, String hostId) {
        try (CuratorFramework control = ZooKeeperClients.start(zk(regions.get(region), CONTROL), RolloutAcls.controlPlane(CONTROL, null))) {
            new HostEnrollment(region, control, CONTROL, HOST_SECRET).enroll(environment, hostId);
        }
    }

    /** A control-plane client of {@code server}, creating nodes with the control plane's ACLs (no previous-layout agents). */
    CuratorFramework controlClient(EmbeddedZooKeeper server) {
        return controlClient(server, null);
    }

    /** A control-plane client of {@code server}; {@code legacyAgents} may create under the previous layout's parents. */
    CuratorFramework controlClient(EmbeddedZooKeeper server, Credentials legacyAgents) {
        CuratorFramework client = ZooKeeperClients.start(zk(server, CONTROL), RolloutAcls.controlPlane(CONTROL, legacyAgents));
        closeables.add(client);
        return client;
    }

    /** A host's own identity, as enrollment derives it. */
    static Credentials hostCredentials(String hostId) {
        return new Credentials(hostId, HostEnrollment.password(HOST_SECRET, hostId));
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
