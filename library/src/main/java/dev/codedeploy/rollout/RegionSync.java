package dev.codedeploy.rollout;

import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.release.ZkLayout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one region's release records in step with the master's: a watch on the master (a {@link CuratorCache} of
 * {@code /codedeploy}) copies a new record within milliseconds, and a poll every {@code pollInterval} catches up
 * whatever a watch missed (the seed design's poll, kept as the safety net).
 *
 * <p>It copies the master's bytes unchanged and only when their signature verifies and their version is newer than
 * the region's: a region never goes back to an older version, and a rollback is itself a newer record. A region
 * record that is malformed, wrongly signed or of another environment (a staging record written into production's node)
 * counts as absent and is replaced. The same record signed again later by the master (see {@link ReleaseRefresher}) is
 * copied too. It also prepares the region's {@code hosts} node (buckets and hosts under it are made by
 * {@link HostEnrollment}) and keeps its ACL as {@link RolloutAcls} says. During an upgrade from the flat layout
 * ({@code rollout.agentUser} set) it also prepares {@code peers/<build>}, and the agents' shared identity may create
 * under both, as agents of the previous version need; once that setting is removed, the next start of region sync
 * takes the permission away from {@code hosts}.
 *
 * <p>Connection loss: while either ensemble is SUSPENDED the attempts fail and are logged; on RECONNECTED, and on a
 * new session after LOST, it syncs every environment at once. Nothing it writes is ephemeral, so a lost session
 * costs nothing but the time until the next sync.
 */
public final class RegionSync extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(RegionSync.class);

    private final ReleaseNodes master;
    private final ReleaseNodes region;
    private final Duration pollInterval;
    private final Set<String> configured;
    private final boolean legacyAgents;
    private final ACLProvider acls;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Set<String> preparedNodes = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> regionVersions = new ConcurrentHashMap<>();
    private final Map<String, String> reportedErrors = new ConcurrentHashMap<>();
    private final ConnectionStateListener reconnect = this::connectionChanged;
    private ScheduledExecutorService executor;
    private CuratorCache masterCache;

    /**
     * @param configured   environments whose {@code hosts} node is prepared even before their first release, so that
     *                     agents can register at once
     * @param legacyAgents true while agents of the previous layout may still run: {@code peers/<build>} is prepared
     * @param acls         the ACLs the region's nodes should have (what the region's client creates them with)
     */
    RegionSync(ReleaseNodes master, ReleaseNodes region, Duration pollInterval, Set<String> configured, boolean legacyAgents,
               ACLProvider acls) {
        this.master = master;
        this.region = region;
        this.pollInterval = pollInterval;
        this.configured = Set.copyOf(configured);
        this.legacyAgents = legacyAgents;
        this.acls = acls;
    }

    /** The region's name. */
    public String region() {
        return region.name();
    }

    /** The version the region held at the last sync of {@code environment} (0 when unknown). */
    public long regionVersion(String environment) {
        return regionVersions.getOrDefault(environment, 0L);
    }

    @Override
    protected void doStart() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "region-sync " + region.name());
            t.setDaemon(true);
            return t;
        });
        master.client().getConnectionStateListenable().addListener(reconnect);
        region.client().getConnectionStateListenable().addListener(reconnect);
        masterCache = CuratorCache.build(master.client(), ZkLayout.ROOT);
        masterCache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, node) -> releaseChanged(node.getPath()))
                .build());
        masterCache.start();
        executor.scheduleWithFixedDelay(this::syncAllSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("region sync for {} started: watching the master, polling every {}", region.name(), pollInterval);
    }

    private void releaseChanged(String path) {
        String[] parts = path.split("/");
        // /codedeploy/<env>/release
        if (parts.length == 4 && parts[3].equals("release") && isEnvironment(parts[2])) {
            request(parts[2]);
        }
    }

    private void connectionChanged(CuratorFramework client, ConnectionState state) {
        if (state == ConnectionState.RECONNECTED) {
            log.info("{} ZooKeeper reconnected: syncing region {} now", client == master.client() ? "master" : "regional", region.name());
            submit(this::syncAllSafely);
        } else if (state == ConnectionState.LOST) {
            log.warn("{} ZooKeeper session lost: region {} syncs again once a new session is up",
                    client == master.client() ? "master" : "regional", region.name());
        }
    }

    private void request(String environment) {
        if (pending.add(environment)) {
            submit(() -> {
                pending.remove(environment);
                syncSafely(environment);
            });
        }
    }

    private void submit(Runnable task) {
        try {
            if (isRunning()) {
                executor.execute(task);
            }
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Syncs every environment of the master now, on the calling thread; for the poll, tests and tools. */
    public void syncAll() {
        for (String environment : configured) {
            prepareHosts(environment);
        }
        List<String> environments;
        try {
            environments = master.client().getChildren().forPath(ZkLayout.ROOT);
        } catch (KeeperException.NoNodeException e) {
            return;
        } catch (Exception e) {
            throw RolloutException.zooKeeper("master", "list the environments for region sync " + region.name(), e);
        }
        for (String environment : environments) {
            if (isEnvironment(environment)) {
                syncSafely(environment);
            }
        }
    }

    private void syncAllSafely() {
        try {
            syncAll();
        } catch (RuntimeException e) {
            log.warn("region sync {}: {}; trying again in {}", region.name(), e.getMessage(), pollInterval);
        }
    }

    private void syncSafely(String environment) {
        try {
            sync(environment);
        } catch (ReleaseConflictException e) {
            request(environment);
        } catch (RuntimeException e) {
            log.warn("region sync {} of {}: {}; trying again in {}", region.name(), environment, e.getMessage(), pollInterval);
        }
    }

    /**
     * Copies the master's record of {@code environment} to the region if it is valid and newer.
     *
     * @return true when it wrote
     */
    boolean sync(String environment) {
        ReleaseNodes.Stored fromMaster = master.read(environment).orElse(null);
        if (fromMaster == null) {
            return false;
        }
        if (fromMaster.release() == null) {
            reportOnce(environment, "the master's release of " + environment + " is invalid and is not copied to region "
                    + region.name() + ": " + fromMaster.error());
            return false;
        }
        ReleaseNodes.Stored inRegion = region.read(environment).orElse(null);
        if (inRegion != null && inRegion.release() == null) {
            log.error("region {} holds an invalid release of {} ({}); replacing it with the master's version {}",
                    region.name(), environment, inRegion.error(), fromMaster.version());
        }
        long regionVersion = inRegion == null ? 0 : inRegion.version();
        regionVersions.put(environment, regionVersion);
        prepareHosts(environment);
        if (legacyAgents) {
            String peers = ZkLayout.legacyPeers(environment, fromMaster.release().buildId());
            if (regionVersion < fromMaster.version()) {
                preparedNodes.remove(peers); // a new record, perhaps of a build whose node went away with its peers
            }
            // a container: ZooKeeper removes it once its last seeding host has left, so that 5,000 builds a day do not
            // leave 5,000 empty nodes a day (an agent that joins later makes it again)
            prepare(peers, CreateMode.CONTAINER);
        }
        if (regionVersion == fromMaster.version() && isNewerSignatureOfTheSameRecord(fromMaster, inRegion)) {
            // the control plane signed the same record again (ReleaseRefresher): hosts without state need the new time
            region.compareAndSet(environment, inRegion, fromMaster.bytes());
            log.debug("region {}: {} release version {} signed again at {}", region.name(), environment, fromMaster.version(),
                    fromMaster.signedAt());
            return true;
        }
        if (regionVersion >= fromMaster.version()) {
            if (regionVersion > fromMaster.version()) {
                reportOnce(environment, "region " + region.name() + " holds version " + regionVersion + " of " + environment
                        + ", newer than the master's " + fromMaster.version() + ": it is left as it is");
            }
            return false;
        }
        region.compareAndSet(environment, inRegion, fromMaster.bytes());
        regionVersions.put(environment, fromMaster.version());
        reportedErrors.remove(environment);
        log.info("region {}: {} release version {} (build {}, wave {})", region.name(), environment, fromMaster.version(),
                fromMaster.release().buildId(), fromMaster.release().openWave());
        return true;
    }

    private static boolean isNewerSignatureOfTheSameRecord(ReleaseNodes.Stored master, ReleaseNodes.Stored region) {
        return region != null && region.envelope() != null && master.signedAt() != null
                && master.envelope().payload().equals(region.envelope().payload())
                && (region.signedAt() == null || master.signedAt().isAfter(region.signedAt()));
    }

    /**
     * Creates {@code hosts} once, and sets its ACL again when it is not what {@link RolloutAcls} says now: agents of
     * the previous layout lose (or, during an upgrade, get) the permission to create there.
     */
    private void prepareHosts(String environment) {
        String path = ZkLayout.hosts(environment);
        if (preparedNodes.contains(path)) {
            return;
        }
        create(path, CreateMode.PERSISTENT);
        try {
            List<ACL> wanted = acls.getAclForPath(path);
            if (!List.copyOf(region.client().getACL().forPath(path)).equals(List.copyOf(wanted))) {
                region.client().setACL().withACL(wanted).forPath(path);
                log.info("region {}: ACL of {} set to {}", region.name(), path, wanted);
            }
        } catch (Exception e) {
            throw RolloutException.zooKeeper(region.name(), "set the ACL of " + path, e);
        }
        // only now: a concurrent sync that finds it prepared may count on its ACL
        preparedNodes.add(path);
    }

    /** Creates {@code path} in the region, once, with the ACL {@link RolloutAcls} gives it. */
    private void prepare(String path, CreateMode mode) {
        if (preparedNodes.contains(path)) {
            return;
        }
        create(path, mode);
        preparedNodes.add(path);
    }

    private void create(String path, CreateMode mode) {
        try {
            region.client().create().creatingParentsIfNeeded().withMode(mode).forPath(path);
        } catch (KeeperException.NodeExistsException e) {
            // prepared before
        } catch (Exception e) {
            throw RolloutException.zooKeeper(region.name(), "create " + path, e);
        }
    }

    static boolean isEnvironment(String name) {
        try {
            ZkLayout.checkEnvironment(name);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void reportOnce(String environment, String message) {
        if (!message.equals(reportedErrors.put(environment, message))) {
            log.error(message);
        } else {
            log.debug(message);
        }
    }

    @Override
    protected void doClose() {
        master.client().getConnectionStateListenable().removeListener(reconnect);
        region.client().getConnectionStateListenable().removeListener(reconnect);
        if (masterCache != null) {
            masterCache.close();
        }
        if (executor == null) {
            return; // start failed before any thread ran
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
