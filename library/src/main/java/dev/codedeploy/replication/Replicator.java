package dev.codedeploy.replication;

import dev.codedeploy.database.Database;
import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.replication.copy.FanOutCopy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies COMPLETED builds from the master blob store to every region and records each region's state in
 * {@code build_replicas}. One loop claims due rows ({@code FOR UPDATE SKIP LOCKED}, so several replicators share
 * the work) and hands them to a bounded pool of copies, at most {@code maxCopiesPerRegion} per region; the regions a
 * build is streamed to share one read of the master ({@link FanOutCopy}); heartbeats renew each copy's lease; a
 * planner makes rows for new builds, a scan of the master store notices new binaries, backfill serves regions added
 * later, and audits read COMPLETED replicas back.
 *
 * <pre>
 *   jobs (COMPLETED) ──plan──► build_replicas (PENDING) ──claim──► copy + verify ──► COMPLETED
 *   master store ──scan──┘          ▲   FAILED ◄── error (backoff) ──┘                 │ mismatch: delete, copy again
 *                                   └──────── audit (read back) ◄──────────────────────┘
 * </pre>
 *
 * <p>Failures: a copy that fails is FAILED with its error and retried after a doubling backoff; when the region's store
 * does not answer, the region is marked down, none of its rows is claimed, and it is probed every
 * {@code retryBackoff} until it answers, when its FAILED rows become due at once. A missing source is FAILED with the
 * longest backoff. When the database cannot be reached the loop logs and polls again; a copy whose lease cannot be
 * renewed for three heartbeats stops and leaves its objects and upload for the replicator that takes it over.
 * {@link #close()} stops claiming, interrupts the copies and gives their rows back (due at once, with their
 * multipart upload kept for the next owner to resume).
 */
public final class Replicator extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(Replicator.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ReplicationConfig config;
    private final RegionStores stores;
    private final ReplicationListener listener;
    private final ReplicationMetrics metrics;
    private final String id;
    private final ReplicaTable table;
    private final ReplicationPlanner planner;
    private final MasterStoreScanner scanner;
    private final List<String> regions;
    private final Map<ReplicaKey, RunningCopy> running = new ConcurrentHashMap<>();
    private final RegionHealth health;
    private final CopySettlement settlement;
    private final ReplicaAuditor auditor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean wakeRequested;
    private int rotation;
    private ExecutorService copies;
    private ExecutorService parts;
    private ScheduledExecutorService scheduler;
    private Thread loop;

    private Replicator(Builder b) {
        this.config = b.config;
        this.stores = b.stores;
        this.listener = b.listener;
        this.regions = List.copyOf(stores.names());
        this.metrics = new ReplicationMetrics(b.registry, regions);
        this.id = b.id != null ? b.id : defaultId();
        this.table = new ReplicaTable(b.database);
        this.planner = new ReplicationPlanner(b.database, regions, new DeployableBuilds(b.database, config.keepPerEnvironment()));
        this.scanner = new MasterStoreScanner(stores.master());
        this.health = new RegionHealth(id, stores, table, metrics, config.retryBackoff());
        this.settlement = new CopySettlement(id, config, table, health, metrics, listener, this::isRunning);
        this.auditor = new ReplicaAuditor(config, table, new ReplicaVerifier(stores, listener, metrics));
    }

    /** A replicator over {@code database} copying between {@code stores}. */
    public static Builder builder(Database database, RegionStores stores, ReplicationConfig config) {
        return new Builder(database, stores, config);
    }

    /** This replicator's id, recorded as the owner of its copies. */
    public String id() {
        return id;
    }

    /** Its meters. */
    public ReplicationMetrics metrics() {
        return metrics;
    }

    /** The regions it copies to, sorted. */
    public List<String> regions() {
        return regions;
    }

    /** The regions it holds for down now. */
    public Set<String> downRegions() {
        return health.down();
    }

    /**
     * Checks every store (a misconfigured one is a {@link dev.codedeploy.config.ConfigException} naming the region),
     * registers the regions and starts the threads.
     */
    @Override
    protected void doStart() {
        for (String region : stores.checkAtStartUp()) {
            health.markDown(region, "down at start-up");
        }
        planner.registerRegions();
        copies = Executors.newFixedThreadPool(config.maxParallelCopies(), daemon("replica-copy-" + id));
        parts = Executors.newFixedThreadPool(config.maxParallelCopies() * 4, daemon("replica-part-" + id));
        scheduler = Executors.newScheduledThreadPool(4, daemon("replication-" + id));
        long beat = config.heartbeatInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::heartbeats, beat, beat, TimeUnit.MILLISECONDS);
        long poll = config.pollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> safely("lag", this::refreshLag), 0, poll, TimeUnit.MILLISECONDS);
        long scan = config.masterScanInterval().toMillis();
        if (scan > 0) {
            scheduler.scheduleWithFixedDelay(() -> safely("backfill and master scan", this::backfillAndScan), 0, scan, TimeUnit.MILLISECONDS);
        } else {
            scheduler.execute(() -> safely("backfill", planner::backfill));
        }
        long audit = config.auditInterval().toMillis();
        if (audit > 0) {
            scheduler.scheduleWithFixedDelay(() -> safely("audit", this::auditOnce), audit, audit, TimeUnit.MILLISECONDS);
        }
        loop = new Thread(this::loop, "replicator-" + id);
        loop.setDaemon(true);
        loop.start();
        log.info("replicator {} started: regions {}, {} copies at once ({} per region), heartbeat every {}",
                id, regions, config.maxParallelCopies(), config.maxCopiesPerRegion(), config.heartbeatInterval());
    }

    /** Makes the loop look for work now. */
    public void wakeUp() {
        lock.lock();
        try {
            wakeRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (isRunning()) {
            int started = 0;
            try {
                planner.planRecent(config.lookback());
                health.probe();
                started = claimAndStart();
            } catch (RuntimeException e) {
                log.warn("replicator {}: looking for work failed, trying again in {}: {}", id, config.pollInterval(), e.getMessage());
            }
            if (started == 0) {
                awaitWork();
            }
        }
    }

    private void awaitWork() {
        lock.lock();
        try {
            if (!wakeRequested && isRunning()) {
                wake.await(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private int claimAndStart() {
        List<ReplicaWork> claimed = new ArrayList<>();
        int n = regions.size();
        int first = rotation++;
        for (int i = 0; i < n && isRunning(); i++) {
            String region = regions.get(Math.floorMod(first + i, n));
            if (health.isDown(region)) {
                continue;
            }
            int free = Math.min(config.maxParallelCopies() - running.size() - claimed.size(),
                    config.maxCopiesPerRegion() - inFlight(region));
            if (free > 0) {
                claimed.addAll(table.claim(region, free, id, config.lease()));
            }
        }
        // regions that are streamed to share one read of the master per build; server-side copies go alone
        Map<Long, List<RunningCopy>> streamed = new java.util.LinkedHashMap<>();
        List<List<RunningCopy>> groups = new ArrayList<>();
        for (ReplicaWork work : claimed) {
            RunningCopy copy = new RunningCopy(work, table, this::isRunning);
            running.put(new ReplicaKey(work.jobId(), work.region()), copy);
            if (stores.sharesEndpointWithMaster(work.region())) {
                groups.add(List.of(copy));
            } else {
                streamed.computeIfAbsent(work.jobId(), j -> new ArrayList<>()).add(copy);
            }
        }
        groups.addAll(streamed.values());
        for (List<RunningCopy> group : groups) {
            try {
                copies.execute(() -> runGroup(group));
            } catch (RejectedExecutionException e) {
                for (RunningCopy copy : group) {
                    running.remove(new ReplicaKey(copy.work().jobId(), copy.work().region()));
                    table.release(copy.lease(), "replicator " + id + " stopped before the copy began");
                }
            }
        }
        return claimed.size();
    }

    private int inFlight(String region) {
        return (int) running.keySet().stream().filter(k -> k.region().equals(region)).count();
    }

    private void runGroup(List<RunningCopy> group) {
        group.forEach(c -> c.attach(Thread.currentThread()));
        ReplicaWork build = group.get(0).work();
        try {
            log.info("replicator {}: copying build {} to {}", id, build.jobId(),
                    group.stream().map(c -> c.work().region() + " (attempt " + c.work().attempts() + ")").toList());
            List<ReplicaCopy.Member> members = group.stream().map(c -> new ReplicaCopy.Member(c.work(), c)).toList();
            Map<ReplicaKey, Throwable> outcome;
            try {
                outcome = new ReplicaCopy(stores, parts, listener, metrics).run(members);
            } catch (Throwable t) {
                outcome = new java.util.HashMap<>();
                for (RunningCopy c : group) {
                    outcome.put(new ReplicaKey(c.work().jobId(), c.work().region()), t);
                }
            }
            Thread.interrupted();
            for (RunningCopy copy : group) {
                ReplicaWork work = copy.work();
                ReplicaKey key = new ReplicaKey(work.jobId(), work.region());
                Throwable failure = outcome.get(key);
                if (failure == null && copy.isLost()) {
                    failure = new ReplicaLeaseLostException(copy.lease(), "marking it COMPLETED");
                }
                if (failure == null) {
                    settlement.succeeded(copy);
                } else {
                    settlement.failed(copy, failure);
                }
            }
        } finally {
            group.forEach(c -> running.remove(new ReplicaKey(c.work().jobId(), c.work().region())));
            wakeUp();
        }
    }

    /** The wait after the {@code attempts}-th failure (see {@link CopySettlement#backoff(int)}). */
    Duration backoff(int attempts) {
        return settlement.backoff(attempts);
    }

    private void heartbeats() {
        long leaseNanos = config.lease().toNanos();
        for (RunningCopy copy : running.values()) {
            try {
                if (table.heartbeat(copy.lease(), copy.bytes(), config.lease())) {
                    copy.heartbeatSucceeded();
                } else {
                    copy.lose("another replicator took it over");
                }
            } catch (RuntimeException e) {
                if (copy.nanosSinceHeartbeat() > leaseNanos) {
                    copy.lose("its lease could not be renewed for " + config.lease() + ": " + e.getMessage());
                }
            }
        }
    }

    private void refreshLag() {
        Map<String, RegionLag> byRegion = new java.util.HashMap<>();
        table.lag().forEach(l -> byRegion.put(l.region(), l));
        for (String region : regions) {
            RegionLag lag = byRegion.get(region);
            metrics.lag(region, lag == null ? 0 : Math.max(0, lag.lagMicros()), lag == null ? 0 : lag.waiting());
        }
    }

    private void backfillAndScan() {
        planner.backfill();
        List<Long> found = scanner.newBuilds();
        int made = planner.planFound(found);
        if (made > 0) {
            log.info("replicator {}: the master store scan found {} replica(s) to make", id, made);
            wakeUp();
        }
    }

    /** Reads back a batch of COMPLETED replicas now; returns how many were found bad (and are copied again). */
    public int auditOnce() {
        int bad = auditor.auditOnce(regions, health.down());
        if (bad > 0) {
            wakeUp();
        }
        return bad;
    }

    private void safely(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("replicator {}: {} failed, trying again later: {}", id, what, e.getMessage());
        }
    }

    @Override
    protected void doClose() {
        if (loop == null) {
            return; // start-up failed before any thread ran
        }
        wakeUp();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        running.values().forEach(RunningCopy::stop);
        copies.shutdownNow();
        parts.shutdownNow();
        try {
            copies.awaitTermination(30, TimeUnit.SECONDS);
            parts.awaitTermination(10, TimeUnit.SECONDS);
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("replicator {} stopped", id);
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-r" + INSTANCES.incrementAndGet();
    }

    /** Builds a {@link Replicator}. */
    public static final class Builder {
        private final Database database;
        private final RegionStores stores;
        private final ReplicationConfig config;
        private MeterRegistry registry = new SimpleMeterRegistry();
        private ReplicationListener listener = ReplicationListener.NONE;
        private String id;

        private Builder(Database database, RegionStores stores, ReplicationConfig config) {
            this.database = database;
            this.stores = stores;
            this.config = config;
        }

        /** Where the meters go (default: a registry of its own). */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.registry = meterRegistry;
            return this;
        }

        /** Who hears each copy (default: nobody). */
        public Builder listener(ReplicationListener replicationListener) {
            this.listener = replicationListener;
            return this;
        }

        /** The owner id recorded on its copies (default: host, pid and a counter). */
        public Builder id(String replicatorId) {
            this.id = replicatorId;
            return this;
        }

        /** The replicator, not started. */
        public Replicator build() {
            return new Replicator(this);
        }
    }
}
