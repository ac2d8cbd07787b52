package dev.codedeploy.sandbox.bench.fleet;

import dev.codedeploy.agent.report.StatusReporter;
import dev.codedeploy.agent.zk.PeerDiscovery;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.PeerAddress;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeyring;
import dev.codedeploy.release.ReleaseWatcher;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.zookeeper.EphemeralNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * One simulated host agent: the agent's own ZooKeeper code (its {@link ReleaseWatcher}, {@link EphemeralNode}s for its
 * status and peer nodes, its {@link StatusReporter} with the progress throttle, a {@link PeerDiscovery} per build)
 * driven by a timer instead of bt: a download takes {@code downloadTime} give or take a fifth, then the host is
 * VERIFIED, and SWITCHING then HEALTHY once its wave is open. It shares its session and its threads with other
 * simulated hosts (20,000 sessions of their own would not fit one machine); what it reads and writes is its own.
 */
public final class FleetHost {

    private final String host;
    private final String environment;
    private final String zone;
    private final CuratorFramework zk;
    private final ScheduledExecutorService executor;
    private final Settings settings;
    private final SplittableRandom random;
    private final Clock clock = Clock.systemUTC();
    private final EphemeralNode statusNode;
    private final EphemeralNode peerNode;
    private final StatusReporter reporter;
    private final ReleaseWatcher watcher;
    private final PeerAddress address;
    private Long current;
    private Long target;
    private HostState state = HostState.IDLE;
    private PeerDiscovery discovery;
    private long downloadStart;
    private long downloadNanos;
    private ScheduledFuture<?> ticks;
    private ScheduledFuture<?> rounds;
    private volatile long healthyAt;

    /**
     * The timings of every host.
     *
     * @param downloadTime          a download's length (each host's is drawn from 0.8 to 1.2 times it)
     * @param peerDiscoveryInterval how often a downloading host runs a discovery round (the agent's default: 5 s)
     * @param progressInterval      the agent's {@code progressInterval}
     * @param maxPeers              the agent's {@code bt.maxPeers}
     */
    public record Settings(Duration downloadTime, Duration peerDiscoveryInterval, Duration progressInterval, int maxPeers) {
    }

    FleetHost(String host, String environment, String zone, CuratorFramework zk, ScheduledExecutorService executor, Settings settings,
              java.security.PublicKey key, long seed) {
        this.host = host;
        this.environment = environment;
        this.zone = zone;
        this.zk = zk;
        this.executor = executor;
        this.settings = settings;
        this.random = new SplittableRandom(seed);
        HostStatus initial = new HostStatus(host, "bench", null, null, 0, HostState.IDLE, null, null, clock.instant());
        this.statusNode = new EphemeralNode(zk, ZkLayout.hostStatus(environment, host), initial.toBytes(), Duration.ofSeconds(10), executor);
        this.address = new PeerAddress(host, "10." + (seed >> 16 & 255) + "." + (seed >> 8 & 255) + "." + (seed & 255), 6891, zone, null,
                List.of());
        this.peerNode = new EphemeralNode(zk, ZkLayout.hostPeer(environment, host), address.toBytes(), Duration.ofSeconds(5), executor);
        this.reporter = new StatusReporter(host, "bench", statusNode, clock, settings.progressInterval(), random.split());
        this.watcher = new ReleaseWatcher(zk, environment, ReleaseKeyring.anyId(key), 0, ReleaseWatcher.DEFAULT_MAX_AGE, clock,
                verified -> executor.execute(this::converge));
    }

    /** Registers the host and starts watching the release. */
    void start() {
        statusNode.start();
        peerNode.start();
        watcher.start();
    }

    /** True once both nodes are written under the current session. */
    boolean isRegistered() {
        return statusNode.isCurrent() && peerNode.isCurrent();
    }

    private synchronized void converge() {
        ReleaseWatcher.Verified latest = watcher.latest();
        if (latest == null) {
            return;
        }
        Release release = latest.release();
        long build = release.buildId();
        if (current != null && current == build) {
            report(HostState.HEALTHY, release);
        } else if (target == null || target != build) {
            startDownload(release);
        } else if (state == HostState.VERIFIED) {
            activateIfOpen(release);
        }
    }

    private void startDownload(Release release) {
        target = release.buildId();
        report(HostState.DOWNLOADING, release);
        peerNode.setData(address.withBuilds(current == null ? List.of(target) : List.of(target, current)).toBytes());
        discovery = new PeerDiscovery(zk, environment, target, host, zone, settings.maxPeers(), clock, random.split());
        downloadStart = System.nanoTime();
        downloadNanos = (long) (settings.downloadTime().toNanos() * (0.8 + 0.4 * random.nextDouble()));
        // the agent polls its swarm's progress twice a second; every 2 s is plenty for a 30 s throttle, and 20,000 hosts
        // ticking cost the machine less
        ticks = executor.scheduleWithFixedDelay(this::tick, 2, 2, TimeUnit.SECONDS);
        long interval = settings.peerDiscoveryInterval().toMillis();
        rounds = executor.scheduleWithFixedDelay(this::discover, random.nextLong(interval), interval, TimeUnit.MILLISECONDS);
    }

    private void discover() {
        PeerDiscovery d;
        synchronized (this) {
            d = state == HostState.DOWNLOADING ? discovery : null;
        }
        if (d != null) {
            // a timer download has no peers offering pieces: it is not starving, whatever the clock says
            d.round(true);
        }
    }

    private synchronized void tick() {
        if (state != HostState.DOWNLOADING) {
            return;
        }
        long done = Math.min(downloadNanos, System.nanoTime() - downloadStart);
        long size = 10L << 30;
        long bytes = (long) (size * (done / (double) downloadNanos));
        reporter.progress(new HostStatus.Progress(bytes, size, (int) (bytes >> 22), (int) (size >> 22), 0));
        if (done >= downloadNanos) {
            ticks.cancel(false);
            rounds.cancel(false);
            Release release = watcher.latest().release();
            report(HostState.VERIFIED, release);
            activateIfOpen(release);
        }
    }

    private void activateIfOpen(Release release) {
        if (release.buildId() == target && (release.rollback() || release.mayActivate(host))) {
            report(HostState.SWITCHING, release);
            current = target;
            report(HostState.HEALTHY, release);
        }
    }

    private void report(HostState next, Release release) {
        state = next;
        reporter.report(next, current, target, release.version(), null, null);
        if (next == HostState.HEALTHY && healthyAt == 0) {
            healthyAt = System.nanoTime();
        }
    }

    /** When ({@link System#nanoTime()}) it first reported HEALTHY, or 0. */
    long healthyAt() {
        return healthyAt;
    }

    /** What its discovery has cost so far (null before any download). */
    synchronized PeerDiscovery.Stats discoveryStats() {
        return discovery == null ? null : discovery.stats();
    }

    /** Stops its timers and its watch; its nodes go with the session. */
    void stop() {
        synchronized (this) {
            if (ticks != null) {
                ticks.cancel(false);
                rounds.cancel(false);
            }
        }
        watcher.close();
    }
}
