package dev.codedeploy.deploys;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.config.DefaultsConfig;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.rollout.HostEnrollment;
import dev.codedeploy.rollout.RolloutAcls;
import dev.codedeploy.rollout.RolloutConfig;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutPolicy;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.EmbeddedZooKeeper;
import dev.codedeploy.testing.SimulatedBuilds;
import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.testing.TestServers;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;

/**
 * The deploys tests' world: a fresh database and bucket on the shared servers, a master ZooKeeper and one region's,
 * a control plane with its rollout driver, the deploy gate, and environments {@code env-1} to {@code env-12} that roll
 * out in one wave with a short bake time. Each test takes an environment of its own.
 */
public final class DeploysWorld implements AutoCloseable {

    public static final String REGION = "east";
    public static final String REPO = "https://example.com/sandbox/app.git";
    static final Credentials CONTROL = new Credentials("control", "control-secret");
    static final String HOST_SECRET = "deploys-world-host-secret";
    static final DeploysConfig FAST = new DeploysConfig(true, Duration.ofMillis(100), Duration.ofSeconds(2), 50, Duration.ofMinutes(5),
            Duration.ofHours(1), Duration.ofMillis(200));

    private static final AtomicInteger SHAS = new AtomicInteger();

    public final EmbeddedZooKeeper master;
    public final EmbeddedZooKeeper region;
    public final Database database;
    public final S3BlobStore blobs;
    final KeyPair keys = ReleaseKeys.generate();
    public final RolloutControlPlane plane;
    public final DeployGate gate;
    public final Deploys deploys;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private int environments;

    public DeploysWorld() {
        master = EmbeddedZooKeeper.start(EmbeddedServers.newFolder("zk-master"));
        region = EmbeddedZooKeeper.start(EmbeddedServers.newFolder("zk-east"));
        database = TestServers.newDatabase(10);
        BlobStoreConfig bucket = TestServers.newBucketConfig();
        blobs = TestServers.newBlobStore("master", bucket);
        Map<String, RolloutPolicy> policies = new LinkedHashMap<>();
        for (int i = 1; i <= 12; i++) {
            policies.put("env-" + i, new RolloutPolicy(List.of(100), null, null, Duration.ofMillis(200), 100, null));
        }
        RolloutConfig config = new RolloutConfig(ReleaseKeys.encode(keys.getPrivate()), ReleaseKeys.encode(keys.getPublic()), "test",
                null, null, Duration.ofSeconds(1), Duration.ofMillis(200), policies, HOST_SECRET);
        List<RegionConfig> regions = List.of(new RegionConfig(REGION, TestServers.newBucketConfig(), zk(region, CONTROL)));
        plane = new RolloutControlPlane(database, blobs, zk(master, CONTROL), regions, config, Clock.systemUTC(),
                EnumSet.of(RolloutControlPlane.Role.REGION_SYNC, RolloutControlPlane.Role.DRIVER));
        plane.start();
        gate = new DeployGate(database, Set.of(REGION));
        deploys = new Deploys(database, FAST, policies.keySet(), new DefaultsConfig("env-1", REPO),
                env -> plane.locks().current(env).map(l -> l.describe()));
    }

    static ZooKeeperConfig zk(EmbeddedZooKeeper server, Credentials who) {
        return new ZooKeeperConfig(server.connectString(), Duration.ofSeconds(10), Duration.ofSeconds(5), who == null ? null : who.user(),
                who == null ? null : who.password());
    }

    /**
     * Ends whatever earlier tests left unfinished (deploys, queued or running jobs), so that a test's builds are the
     * only ones in the queue.
     */
    public void reset() {
        try (java.sql.Connection c = database.connection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE deploys SET state = 'CANCELLED', finished_at = NOW(6), error = 'reset between tests'"
                    + " WHERE state IN ('REQUESTED','BUILDING','REPLICATING','PUBLISHING','ROLLING_OUT')");
            s.executeUpdate("UPDATE jobs SET status = 'CANCELLED', finished_at = NOW(6) WHERE status IN ('QUEUED','RUNNING')");
            c.commit();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An environment no other test uses. */
    public synchronized String newEnvironment() {
        return "env-" + (++environments);
    }

    /** A new commit SHA. */
    public static String newSha() {
        return String.format("%040x", 0xdec0de000000L + SHAS.incrementAndGet());
    }

    /** A started conductor of every deploy; closed with the world. */
    public DeployConductor conductor(String id) {
        DeployConductor conductor = DeployConductor.of(database, plane, gate, FAST, id);
        closeables.add(conductor);
        conductor.start();
        return conductor;
    }

    /** {@code n} healthy hosts of {@code environment}, enrolled as {@code codedeploy hosts enroll} does; closed with the world if not before. */
    public List<SimulatedHost> hosts(String environment, int n) {
        List<SimulatedHost> hosts = new ArrayList<>();
        try (CuratorFramework control = ZooKeeperClients.start(zk(region, CONTROL), RolloutAcls.controlPlane(CONTROL, null))) {
            HostEnrollment enrollment = new HostEnrollment(REGION, control, CONTROL, HOST_SECRET);
            for (int i = 0; i < n; i++) {
                enrollment.enroll(environment, environment + "-h" + i);
            }
        }
        for (int i = 0; i < n; i++) {
            String hostId = environment + "-h" + i;
            SimulatedHost host = new SimulatedHost(zk(region, null), new Credentials(hostId, HostEnrollment.password(HOST_SECRET, hostId)),
                    REGION, environment, hostId, keys.getPublic(), SimulatedHost.Behaviour.HEALTHY);
            closeables.add(host);
            hosts.add(host);
        }
        return hosts;
    }

    /** Builds the oldest queued job (as a worker would) and records its copy in the region. */
    public long buildAndReplicateNext() {
        long id = SimulatedBuilds.buildNext(database, blobs).orElseThrow(() -> new IllegalStateException("no job is queued"));
        SimulatedBuilds.replicated(database, id, List.of(REGION));
        return id;
    }

    /** A deployable build of {@code sha} from {@link #REPO}. */
    public long deployableBuild(String sha) {
        return SimulatedBuilds.deployable(database, blobs, List.of(REGION), sha);
    }

    /** Waits until deploy {@code id} is in {@code state}. */
    public Deploy awaitState(long id, DeployState state, Duration within) {
        Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> deploys.get(id).state(), s -> s == state || (s.isFinal() && state != s));
        Deploy deploy = deploys.get(id);
        if (deploy.state() != state) {
            throw new AssertionError("deploy " + id + " is " + deploy.state() + " (" + deploy.error() + "), not " + state);
        }
        return deploy;
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
        plane.close();
        blobs.close();
        database.close();
        region.close();
        master.close();
    }
}
