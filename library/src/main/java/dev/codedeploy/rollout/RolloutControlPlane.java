package dev.codedeploy.rollout;

import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeyring;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.replication.gate.GateOverrideConfig;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.ACLProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout control plane of one process: the operators' API (publish, rollback, pause, resume, lock, freeze,
 * status, wait for the outcome) and, by {@link Role}, the long-running parts (one {@link RegionSync} per region, the
 * {@link RolloutDriver}). It owns one Curator client for the master and one per region, authenticated with the
 * configured control-plane credentials, creating nodes with {@link RolloutAcls#controlPlane}. With the driver (and a
 * signing key) it also runs the {@link ReleaseRefresher}, which signs each current record again every
 * {@code rollout.refreshInterval}.
 *
 * <pre>
 *  publish ──► master ZooKeeper ──watch + poll──► region sync ──► regional ZooKeeper ◄── agents (hosts/&lt;bucket&gt;/&lt;host&gt;/)
 *                  ▲                                                     │
 *                  └──── driver: next wave / rollback ◄── host counts ───┘
 * </pre>
 *
 * <p>Connection loss: the API calls fail with a {@link RolloutException} naming the ensemble while it is unreachable;
 * the region syncs and the driver document their own behaviour. The database is needed for publishing (the deploy
 * gate and the audit); a publish fails cleanly while it is down.
 */
public final class RolloutControlPlane extends AbstractService {

    /** The long-running parts a process may run. */
    public enum Role { REGION_SYNC, DRIVER }

    private static final Logger log = LoggerFactory.getLogger(RolloutControlPlane.class);

    private final Database database;
    private final BlobStore masterBlobs;
    private final ZooKeeperConfig masterConfig;
    private final List<RegionConfig> regions;
    private final RolloutConfig config;
    private final GateOverrideConfig gateOverride;
    private final Clock clock;
    private final Set<Role> roles;
    private final Map<String, CuratorFramework> clients = new LinkedHashMap<>();
    private final Map<String, ACLProvider> acls = new LinkedHashMap<>();
    private final List<RegionSync> syncs = new ArrayList<>();
    private ReleaseNodes master;
    private ReleasePublisher publisher;
    private DeployLocks locks;
    private DeploymentLog audit;
    private RolloutTracker tracker;
    private RolloutDriver driver;
    private ReleaseRefresher refresher;

    /**
     * A control plane; {@link #start()} connects it.
     *
     * @param masterBlobs the master blob store (the builds' manifests)
     * @param regions     the regions; those without a ZooKeeper ensemble take no part in rollouts
     * @param roles       the long-running parts this process runs (the API works with none)
     */
    public RolloutControlPlane(Database database, BlobStore masterBlobs, ZooKeeperConfig master, List<RegionConfig> regions,
                               RolloutConfig config, Clock clock, Set<Role> roles) {
        this(database, masterBlobs, master, regions, config, GateOverrideConfig.OFF, clock, roles);
    }

    /**
     * A control plane whose deploy gate honours recorded quorum overrides as {@code gateOverride} allows.
     *
     * @see #RolloutControlPlane(Database, BlobStore, ZooKeeperConfig, List, RolloutConfig, Clock, Set)
     */
    public RolloutControlPlane(Database database, BlobStore masterBlobs, ZooKeeperConfig master, List<RegionConfig> regions,
                               RolloutConfig config, GateOverrideConfig gateOverride, Clock clock, Set<Role> roles) {
        if (master == null) {
            throw new ConfigException("zooKeeper (the master ensemble) is not configured: rollouts need it");
        }
        this.database = database;
        this.masterBlobs = masterBlobs;
        this.masterConfig = master;
        this.regions = List.copyOf(regions);
        this.config = config;
        this.gateOverride = gateOverride;
        this.clock = clock;
        this.roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    }

    /** A control plane as {@code config} describes it. */
    public static RolloutControlPlane of(CodeDeployConfig config, Database database, BlobStore masterBlobs, Set<Role> roles) {
        return new RolloutControlPlane(database, masterBlobs, config.zooKeeper(), config.regions(), config.rollout(),
                config.replication().gateOverride(), Clock.systemUTC(), roles);
    }

    @Override
    protected void doStart() {
        ReleaseKeyring keys = config.keyring();
        checkKeyPair(config.privateKey(), keys.find(config.keyId()));
        master = new ReleaseNodes(connect("master", masterConfig), keys, "master");
        List<ReleaseNodes> regionStores = new ArrayList<>();
        for (RegionConfig region : regions) {
            if (region.zooKeeper() == null) {
                log.warn("region {} has no zooKeeper configured: its hosts get no releases", region.name());
                continue;
            }
            regionStores.add(new ReleaseNodes(connect(region.name(), region.zooKeeper()), keys, region.name()));
        }
        if (roles.contains(Role.REGION_SYNC)) {
            regionStores.forEach(r -> syncs.add(new RegionSync(master, r, config.pollInterval(), config.environments().keySet(),
                    config.agents() != null, acls.get(r.name()))));
        }
        ReleaseWriter writer = new ReleaseWriter(master, config.privateKey(), config.keyId(),
                env -> syncs.stream().mapToLong(s -> s.regionVersion(env)).max().orElse(0));
        audit = new DeploymentLog(database);
        locks = new DeployLocks(master.client(), audit);
        Set<String> regionNames = regions.stream().map(RegionConfig::name).collect(Collectors.toSet());
        BuildLookup builds = new BuildLookup(new JobQueue(database, QueueConfig.DEFAULTS), masterBlobs, new DeployGate(database, regionNames, gateOverride));
        publisher = new ReleasePublisher(writer, builds, locks, audit, config::policy, clock);
        tracker = new RolloutTracker(regionStores);
        syncs.forEach(RegionSync::start);
        if (roles.contains(Role.DRIVER)) {
            driver = new RolloutDriver(master, writer, publisher, tracker, audit, config::policy, clock, config.checkInterval(),
                    "driver-" + ProcessHandle.current().pid() + "-" + System.identityHashCode(this));
            driver.start();
            if (config.privateKey() != null) {
                refresher = new ReleaseRefresher(master, config.privateKey(), config.keyId(), config.refreshInterval(), clock);
                refresher.start();
            }
        }
    }

    private CuratorFramework connect(String name, ZooKeeperConfig zk) {
        Credentials control = zk.user() == null ? null : new Credentials(zk.user(), zk.password());
        if (control == null) {
            log.warn("ZooKeeper {} has no user configured: release and lock nodes are created open to every client", zk.connectString());
        }
        ACLProvider provider = RolloutAcls.controlPlane(control, config.agents());
        CuratorFramework client = ZooKeeperClients.start(zk, provider);
        clients.put(name, client);
        acls.put(name, provider);
        return client;
    }

    private static void checkKeyPair(PrivateKey privateKey, PublicKey publicKey) {
        if (privateKey == null) {
            return;
        }
        if (publicKey == null) {
            throw new ConfigException("rollout.publicKey is not configured for rollout.keyId: records signed here could not be verified");
        }
        try {
            byte[] probe = "codedeploy key check".getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(probe);
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signer.sign())) {
                throw new ConfigException("rollout.signingKey and rollout.publicKey are not a pair: records signed here would be refused");
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException("rollout keys are unusable: " + e.getMessage());
        }
    }

    /**
     * Publishes a build; see {@link ReleasePublisher#publish}.
     *
     * @return the record written and its audit row (the start of {@link #awaitOutcome})
     */
    public ReleasePublisher.Published publish(String environment, long buildId, String actor, PublishOptions options) {
        return running().publisher.publish(environment, buildId, actor, options);
    }

    /** The version deploy {@code deployId} published, if it did; see {@link ReleasePublisher#publishedVersion}. */
    public Optional<Long> publishedVersion(String environment, long deployId, String actor) {
        return running().publisher.publishedVersion(environment, deployId, actor);
    }

    /** Rolls back to the previous build at once; see {@link ReleasePublisher#rollback(String, String, String)}. */
    public ReleasePublisher.Published rollback(String environment, String actor, String reason) {
        return running().publisher.rollback(environment, actor, reason);
    }

    /** Pauses the rollout: no further wave opens. */
    public Release pause(String environment, String actor) {
        return running().publisher.pause(environment, actor);
    }

    /** Resumes a paused rollout. */
    public Release resume(String environment, String actor) {
        return running().publisher.resume(environment, actor);
    }

    /** Locks, freezes and unlocks. */
    public DeployLocks locks() {
        return running().locks;
    }

    /** The audit history. */
    public DeploymentLog history() {
        return running().audit;
    }

    /** The master's valid record of {@code environment}, if any. */
    public Optional<Release> release(String environment) {
        ZkLayout.checkEnvironment(environment);
        return running().master.read(environment).map(ReleaseNodes.Stored::release);
    }

    /**
     * Every host status of {@code environment} per region, in region order, from the control plane's caches (no
     * ZooKeeper read once loaded): what the API's host views page and count.
     */
    public Map<String, List<HostStatus>> hosts(String environment) {
        return running().tracker.hostsByRegion(environment);
    }

    /** Where the rollout of {@code environment} stands: the record and, per region, the hosts by build and state. */
    public RolloutStatus status(String environment) {
        return running().tracker.status(environment, release(environment).orElse(null));
    }

    /**
     * Waits until the rollout started by {@code published} ends, reporting the status to {@code progress} meanwhile.
     * The ending is the first row of {@code deployments} after the publish that ends it, so any process can wait,
     * wherever the driver runs.
     */
    public RolloutOutcome awaitOutcome(String environment, ReleasePublisher.Published published, Duration timeout,
                                       Consumer<RolloutStatus> progress) throws InterruptedException {
        running();
        Instant deadline = Instant.now().plus(timeout);
        long after = published.deploymentId();
        long build = published.release().buildId();
        long pollMillis = Math.min(1000, config.checkInterval().toMillis());
        RolloutStatus last = null;
        while (true) {
            for (Deployment row : audit.after(environment, after, 100)) {
                after = row.id();
                RolloutOutcome.Result result = RolloutOutcome.of(row, build);
                if (result != null) {
                    return new RolloutOutcome(result, row, status(environment));
                }
            }
            last = status(environment);
            if (progress != null) {
                progress.accept(last);
            }
            if (!Instant.now().isBefore(deadline)) {
                return new RolloutOutcome(RolloutOutcome.Result.TIMED_OUT, null, last);
            }
            Thread.sleep(pollMillis);
        }
    }

    /** The region syncs this process runs (empty without {@link Role#REGION_SYNC}). */
    public List<RegionSync> regionSyncs() {
        return List.copyOf(syncs);
    }

    /**
     * The control plane's client of {@code ensemble} ({@code master} or a region's name), for tools and fault
     * injection; null when there is none.
     */
    public CuratorFramework client(String ensemble) {
        return clients.get(ensemble);
    }

    /**
     * Enrolls hosts of {@code region} (see {@link HostEnrollment}).
     *
     * @throws ConfigException when the region has no ZooKeeper here, or {@code rollout.hostSecret} is not set
     */
    public HostEnrollment enrollment(String region) {
        CuratorFramework client = running().clients.get(region);
        RegionConfig regionConfig = regions.stream().filter(r -> r.name().equals(region)).findFirst().orElse(null);
        if (client == null || regionConfig == null) {
            throw new ConfigException("region '" + region + "' has no ZooKeeper configured here: hosts are enrolled in their region's"
                    + " ensemble; configured: " + regions.stream().filter(r -> r.zooKeeper() != null).map(RegionConfig::name).toList());
        }
        ZooKeeperConfig zk = regionConfig.zooKeeper();
        return new HostEnrollment(region, client, zk.user() == null ? null : new Credentials(zk.user(), zk.password()), config.hostSecret());
    }

    /** The driver, or null without {@link Role#DRIVER}. */
    public RolloutDriver driver() {
        return driver;
    }

    private RolloutControlPlane running() {
        if (!isRunning()) {
            throw new IllegalStateException("the rollout control plane is " + state() + ": start it first");
        }
        return this;
    }

    @Override
    protected void doClose() {
        if (refresher != null) {
            refresher.close();
        }
        if (driver != null) {
            driver.close();
        }
        syncs.forEach(RegionSync::close);
        if (tracker != null) {
            tracker.close();
        }
        clients.values().forEach(CuratorFramework::close);
    }
}
