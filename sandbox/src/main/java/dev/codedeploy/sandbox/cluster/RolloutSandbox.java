package dev.codedeploy.sandbox.cluster;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.testing.EmbeddedMariaDb;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedZooKeeper;
import dev.codedeploy.testing.SimulatedBuilds;
import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.rollout.HostEnrollment;
import dev.codedeploy.rollout.RolloutConfig;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutOutcome;
import dev.codedeploy.rollout.RolloutPolicy;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.nio.file.Path;
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

/**
 * The rollout side of the system on embedded servers: MariaDB and a master S3 (for the deploy gate, the audit and
 * the builds' manifests), a master ZooKeeper and one per region, a signing key pair, a control plane, and simulated
 * hosts. Scenarios and benchmarks start one under their work folder and close it at the end, which stops every
 * server and client.
 */
public final class RolloutSandbox implements AutoCloseable {

    /** The control plane's ZooKeeper identity. */
    public static final Credentials CONTROL = new Credentials("control", "control-secret");
    /** {@code rollout.hostSecret}: every host's ZooKeeper password is derived from it when it is enrolled. */
    public static final String HOST_SECRET = "sandbox-host-secret-0123456789";
    /** The environment the sandbox deploys to. */
    public static final String ENVIRONMENT = "production";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<SimulatedHost> hosts = new ArrayList<>();
    private final Map<String, EmbeddedZooKeeper> regions = new LinkedHashMap<>();
    private final Map<String, String> connectStrings = new LinkedHashMap<>();
    private final KeyPair keys = ReleaseKeys.generate();
    private final AtomicInteger commits = new AtomicInteger();
    private Database database;
    private S3BlobStore master;
    private EmbeddedZooKeeper masterZooKeeper;
    private RolloutControlPlane plane;

    private RolloutSandbox() {
    }

    /**
     * Starts the servers under {@code dir} and a control plane.
     *
     * @param regionNames   the regions
     * @param policy        the environment's rollout policy
     * @param pollInterval  region sync's safety-net poll
     * @param checkInterval the driver's period
     * @param roles         what the control plane runs
     */
    public static RolloutSandbox start(Path dir, List<String> regionNames, RolloutPolicy policy, Duration pollInterval,
                                       Duration checkInterval, Set<RolloutControlPlane.Role> roles) {
        return start(dir, regionNames, policy, pollInterval, checkInterval, roles, Map.of());
    }

    /**
     * Starts the servers under {@code dir} and a control plane; a region named in {@code running} uses the ZooKeeper
     * at that connect string (started and stopped by the caller, such as one in a process of its own).
     */
    public static RolloutSandbox start(Path dir, List<String> regionNames, RolloutPolicy policy, Duration pollInterval,
                                       Duration checkInterval, Set<RolloutControlPlane.Role> roles, Map<String, String> running) {
        RolloutSandbox sandbox = new RolloutSandbox();
        try {
            EmbeddedMariaDb mariaDb = sandbox.keep(EmbeddedMariaDb.start(dir.resolve("mariadb")));
            sandbox.database = sandbox.keep(Database.open(new DatabaseConfig(mariaDb.createDatabase("codedeploy"), "root", "", 10)));
            EmbeddedS3 s3 = sandbox.keep(EmbeddedS3.start(dir.resolve("s3")));
            sandbox.master = sandbox.keep(new S3BlobStore("master",
                    BlobStoreConfig.of(s3.endpoint(), "codedeploy-master", EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)));
            sandbox.master.createBucketIfMissing();
            sandbox.masterZooKeeper = sandbox.keep(EmbeddedZooKeeper.start(dir.resolve("zk-master")));
            List<RegionConfig> regionConfigs = new ArrayList<>();
            for (String name : regionNames) {
                String connect = running.get(name);
                if (connect == null) {
                    EmbeddedZooKeeper zk = sandbox.keep(EmbeddedZooKeeper.start(dir.resolve("zk-" + name)));
                    sandbox.regions.put(name, zk);
                    connect = zk.connectString();
                }
                sandbox.connectStrings.put(name, connect);
                regionConfigs.add(new RegionConfig(name, BlobStoreConfig.of(s3.endpoint(), "codedeploy-" + name, EmbeddedS3.ACCESS_KEY,
                        EmbeddedS3.SECRET_KEY), zooKeeper(connect, CONTROL)));
            }
            RolloutConfig config = new RolloutConfig(ReleaseKeys.encode(sandbox.keys.getPrivate()), ReleaseKeys.encode(sandbox.keys.getPublic()),
                    "sandbox", null, null, pollInterval, checkInterval, Map.of(ENVIRONMENT, policy), HOST_SECRET);
            sandbox.plane = sandbox.keep(new RolloutControlPlane(sandbox.database, sandbox.master, zooKeeper(sandbox.masterZooKeeper, CONTROL),
                    regionConfigs, config, Clock.systemUTC(), roles));
            sandbox.plane.start();
            return sandbox;
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    /** How {@code who} reaches {@code server}. */
    public static ZooKeeperConfig zooKeeper(EmbeddedZooKeeper server, Credentials who) {
        return zooKeeper(server.connectString(), who);
    }

    /** How {@code who} reaches the server at {@code connectString}. */
    public static ZooKeeperConfig zooKeeper(String connectString, Credentials who) {
        return new ZooKeeperConfig(connectString, Duration.ofSeconds(10), Duration.ofSeconds(5),
                who == null ? null : who.user(), who == null ? null : who.password());
    }

    /** How {@code who} reaches the ZooKeeper of {@code region}. */
    public ZooKeeperConfig regionZooKeeper(String region, Credentials who) {
        return zooKeeper(connectStrings.get(region), who);
    }

    /** The database. */
    public Database database() {
        return database;
    }

    /** The master blob store. */
    public S3BlobStore masterStore() {
        return master;
    }

    /** The control plane. */
    public RolloutControlPlane plane() {
        return plane;
    }

    /** The master ZooKeeper. */
    public EmbeddedZooKeeper masterZooKeeper() {
        return masterZooKeeper;
    }

    /** A region's ZooKeeper, when the sandbox started it. */
    public EmbeddedZooKeeper region(String name) {
        return regions.get(name);
    }

    /** The region names. */
    public List<String> regionNames() {
        return List.copyOf(connectStrings.keySet());
    }

    /** The control plane's key pair. */
    public KeyPair keys() {
        return keys;
    }

    /**
     * Regions {@code eu} and {@code us}, waves of 50 and 100 % with no bake time, a fast driver, and region sync polling
     * only hourly: for scenarios that tamper with a region's record and ask region sync to repair it once they have
     * looked at the hosts.
     */
    public static RolloutSandbox forTampering(Path dir) {
        RolloutPolicy policy = new RolloutPolicy(List.of(50, 100), 1.0, 0.2, Duration.ZERO, 100, Duration.ofMinutes(5));
        return start(dir, List.of("eu", "us"), policy, Duration.ofHours(1), Duration.ofMillis(200),
                EnumSet.allOf(RolloutControlPlane.Role.class));
    }

    /** Publishes {@code build} to {@link #ENVIRONMENT} as {@code sandbox} and waits up to a minute for the outcome. */
    public RolloutOutcome deploy(long build) throws InterruptedException {
        return plane.awaitOutcome(ENVIRONMENT, plane.publish(ENVIRONMENT, build, "sandbox", null), Duration.ofSeconds(60), null);
    }

    /** A new deployable build (a simulated one: hosts download nothing). */
    public long deployableBuild() {
        String sha = String.format("%040x", 0xc0de0000L + commits.incrementAndGet());
        return SimulatedBuilds.deployable(database, master, connectStrings.keySet(), sha);
    }

    /**
     * A simulated host of {@link #ENVIRONMENT} in {@code region}, enrolled by the control plane, with its own credentials;
     * closed with the sandbox.
     */
    public SimulatedHost host(String region, String hostId, SimulatedHost.Behaviour behaviour) {
        plane.enrollment(region).enroll(ENVIRONMENT, hostId);
        SimulatedHost host = new SimulatedHost(regionZooKeeper(region, null), hostCredentials(hostId), region, ENVIRONMENT, hostId,
                keys.getPublic(), behaviour);
        hosts.add(host);
        return host;
    }

    /** {@code perRegion} healthy hosts in every region, named {@code <region>-host-<n>}. */
    public List<SimulatedHost> hosts(int perRegion) {
        List<SimulatedHost> started = new ArrayList<>();
        for (String region : connectStrings.keySet()) {
            for (int i = 0; i < perRegion; i++) {
                started.add(host(region, region + "-host-" + i, SimulatedHost.Behaviour.HEALTHY));
            }
        }
        return started;
    }

    /** A host's own identity: user = host id, the password enrollment derives. */
    public static Credentials hostCredentials(String hostId) {
        return new Credentials(hostId, HostEnrollment.password(HOST_SECRET, hostId));
    }

    @Override
    public void close() {
        for (SimulatedHost host : hosts) {
            quietly(host);
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            quietly(toClose.get(i));
        }
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // stopping everything
        }
    }
}
