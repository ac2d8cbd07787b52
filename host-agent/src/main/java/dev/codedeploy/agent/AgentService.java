package dev.codedeploy.agent;

import dev.codedeploy.agent.install.ReleaseStore;
import dev.codedeploy.agent.p2p.PeerNetwork;
import dev.codedeploy.agent.report.AgentMetrics;
import dev.codedeploy.metrics.MetricsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.agent.zk.HostPlacement;
import dev.codedeploy.release.ReleaseWatcher;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.lifecycle.AbstractService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a host agent and a seeder share: the data folder, the client to the regional ZooKeeper, the regional blob
 * store, the bt network (unless artifacts come from the blob store), the release watcher, and one thread that
 * converges the host on the newest release whenever it changes, a retry is due, or housekeeping is.
 *
 * <p>Losing ZooKeeper: SUSPENDED and LOST are logged and change nothing on the host (it keeps running, seeding and
 * finishing its current step; writes to ZooKeeper wait). RECONNECTED rewrites the ephemeral nodes (see {@link
 * dev.codedeploy.zookeeper.EphemeralNode}) and the release cache brings any release published meanwhile. With a
 * {@code metrics:} section it serves its meters ({@link AgentMetrics}) for Prometheus; they keep being served while
 * ZooKeeper is away.
 */
abstract class AgentService extends AbstractService {

    private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);
    /** Housekeeping (expired seeding, cleanup) runs at least this often. */
    static final Duration HOUSEKEEPING = Duration.ofSeconds(10);

    protected final AgentConfig config;
    protected final Clock clock;
    protected ReleaseStore store;
    protected CuratorFramework zk;
    protected S3BlobStore blobs;
    protected PeerNetwork network;
    protected ReleaseWatcher watcher;
    protected AgentMetrics metrics;
    private MetricsServer metricsServer;
    private final Object signal = new Object();
    private boolean woken;
    private Thread loop;

    AgentService(AgentConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    protected void doStart() {
        store = ReleaseStore.open(config.dataPath());
        if (config.metrics() != null) {
            metricsServer = new MetricsServer(config.metrics().host(), config.metrics().port());
            metricsServer.start();
            metrics = new AgentMetrics(metricsServer.registry());
        } else {
            metrics = new AgentMetrics(new SimpleMeterRegistry());
        }
        zk = AgentZooKeeper.connect(config.zooKeeper(), config.hostCredentials());
        zk.getConnectionStateListenable().addListener((client, state) -> LOG.info("ZooKeeper {}: {}", config.zooKeeper().connectString(), state));
        blobs = new S3BlobStore("region " + config.region(), config.blobStore());
        try {
            // early word of a wrong endpoint or bucket, and a warm client for the first release
            blobs.checkReachable();
        } catch (RuntimeException e) {
            LOG.warn("the regional blob store is not reachable now (the agent keeps trying at each release): {}", e.getMessage());
        }
        if (usesPeers()) {
            // during an upgrade (the shared identity still configured) agents of the previous version must find this one too
            HostPlacement placement = new HostPlacement(config.hostId(), config.zone(), config.rack(), config.zooKeeper().user() != null);
            network = new PeerNetwork(config.bt(), zk, config.environment(), placement, clock, isSeeder(),
                    AgentZooKeeper.isOpen(config.zooKeeper(), config.hostCredentials()));
            network.start();
            metrics.bindSeeded(network::uploadedBytes);
        }
        onStart();
        watcher = new ReleaseWatcher(zk, config.environment(), config.keyring(), minReleaseVersion(), config.maxReleaseAge(), clock,
                verified -> wake());
        watcher.start();
        loop = new Thread(this::run, getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + "-" + config.hostId());
        loop.start();
    }

    /** The port of the metrics endpoint, or -1 without one ({@code metrics:} absent). */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    /** True for the regional seeder. */
    protected boolean isSeeder() {
        return false;
    }

    /** True when artifacts come from peers (a seeder always seeds). */
    protected abstract boolean usesPeers();

    /** Wiring of the subclass, before the watcher starts. */
    protected abstract void onStart();

    /** Releases older than this are ignored. */
    protected abstract long minReleaseVersion();

    /**
     * Brings the host one step closer to {@code release} (null before any release was seen) and says when to be
     * called again at the latest.
     */
    protected abstract Duration converge(ReleaseWatcher.Verified release) throws InterruptedException;

    /** Periodic cleanup, between two {@link #converge} calls. */
    protected abstract void housekeeping();

    /** Closes what {@link #onStart()} opened; ZooKeeper is still connected. */
    protected abstract void onClose();

    private void run() {
        LOG.info("{} started: host {}, environment {}, region {}, data in {}", getClass().getSimpleName(), config.hostId(),
                config.environment(), config.region(), store.root());
        while (isRunning()) {
            Duration next = HOUSEKEEPING;
            try {
                prepareOpenParents();
                next = converge(watcher.latest());
                housekeeping();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("unexpected failure; trying again in {}", config.retryInterval(), e);
                next = config.retryInterval();
            }
            await(next.compareTo(HOUSEKEEPING) < 0 ? next : HOUSEKEEPING);
        }
    }

    /**
     * For an agent without ZooKeeper identity (a development region that no control plane prepares): creates the
     * parents of its nodes when missing. With ACLs region sync prepares them.
     */
    protected void prepareOpenParents() {
        if (network != null && AgentZooKeeper.isOpen(config.zooKeeper(), config.hostCredentials())) {
            network.prepareOpenParents();
        }
    }

    /** Wakes the loop now (a new release, or closing). */
    protected void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void await(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(1, timeout.toNanos());
        synchronized (signal) {
            while (!woken && isRunning()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            woken = false;
        }
    }

    /** True while running and the newest release still names {@code build}. */
    protected boolean stillWanted(long build) {
        ReleaseWatcher.Verified latest = watcher.latest();
        return isRunning() && latest != null && latest.release().buildId() == build;
    }

    @Override
    protected void doClose() {
        wake();
        if (loop != null) {
            try {
                loop.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(watcher);
        closeQuietly(network);
        try {
            onClose();
        } catch (RuntimeException e) {
            LOG.warn("closing: {}", e.toString());
        }
        closeQuietly(blobs);
        if (zk != null) {
            zk.close();
        }
        closeQuietly(metricsServer);
        LOG.info("{} of host {} stopped", getClass().getSimpleName(), config.hostId());
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }
}
