package dev.codedeploy.rollout;

import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.DeploymentLog.RecordedWork.Outcome;
import dev.codedeploy.rollout.RolloutRules.Decision;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves every environment's rollout forward: every {@code checkInterval} it reads the master's record and the hosts
 * of all regions, and opens the next wave, completes, or rolls back as {@link RolloutRules} says. Each step is a
 * compare-and-set write of the record made on the exact record it judged, and a row in {@code deployments}.
 *
 * <p>Only one driver acts at a time: they elect a leader with Curator's {@link LeaderLatch} in the master. On
 * SUSPENDED the latch gives up leadership, so a driver cut off from the master stops acting; on RECONNECTED it
 * competes again (or, after LOST, with its new session). A failed database write or ZooKeeper call is logged and the
 * step is tried again at the next check.
 */
public final class RolloutDriver extends AbstractService {

    /** Where the drivers elect their leader, outside {@link ZkLayout#ROOT} so it is no environment. */
    static final String LEADER_PATH = "/codedeploy-control/rollout-driver";

    /**
     * How long a host whose node vanished still counts as a host that is down: longer than a session timeout and an
     * agent restart, so that a wave does not open or complete on the view of the hosts that happen to be back.
     */
    static final Duration MISSING_GRACE = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(RolloutDriver.class);

    private final ReleaseNodes master;
    private final ReleaseWriter writer;
    private final ReleasePublisher publisher;
    private final RolloutTracker tracker;
    private final DeploymentLog audit;
    private final Function<String, RolloutPolicy> policies;
    private final Clock clock;
    private final Duration checkInterval;
    private final String id;
    private final Map<String, RolloutRules.WaveTimer> timers = new ConcurrentHashMap<>();
    private final Map<String, Long> completedVersions = new ConcurrentHashMap<>();
    private final Map<String, Long> failedBuilds = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Instant>> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, String> lastReasons = new ConcurrentHashMap<>();
    private LeaderLatch latch;
    private ScheduledExecutorService executor;

    RolloutDriver(ReleaseNodes master, ReleaseWriter writer, ReleasePublisher publisher, RolloutTracker tracker, DeploymentLog audit,
                  Function<String, RolloutPolicy> policies, Clock clock, Duration checkInterval, String id) {
        this.master = master;
        this.writer = writer;
        this.publisher = publisher;
        this.tracker = tracker;
        this.audit = audit;
        this.policies = policies;
        this.clock = clock;
        this.checkInterval = checkInterval;
        this.id = id;
    }

    /**
     * What the driver last decided for {@code environment} and why, as {@code v<record version> <STEP>: <reason>}, for
     * status displays; null before its first check.
     */
    public String lastReason(String environment) {
        return lastReasons.get(environment);
    }

    /** True while this driver is the one that acts. */
    public boolean isLeader() {
        return latch != null && latch.hasLeadership();
    }

    @Override
    protected void doStart() {
        latch = new LeaderLatch(master.client(), LEADER_PATH, id);
        try {
            latch.start();
        } catch (Exception e) {
            throw new RolloutException("the rollout driver could not join the leader election: " + e, e);
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollout-driver");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::checkSafely, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("rollout driver {} started, checking every {}", id, checkInterval);
    }

    private void checkSafely() {
        try {
            if (isLeader() && master.client().getZookeeperClient().isConnected()) {
                checkAll();
            }
        } catch (RuntimeException e) {
            log.warn("rollout check failed, trying again in {}: {}", checkInterval, e.getMessage());
        }
    }

    /** Checks every environment of the master once, now. */
    void checkAll() {
        for (String environment : environments()) {
            try {
                check(environment);
            } catch (ReleaseConflictException e) {
                log.debug("{} changed while it was judged; judging again at the next check", environment);
            } catch (RuntimeException e) {
                log.warn("rollout of {}: {}; trying again in {}", environment, e.getMessage(), checkInterval);
            }
        }
    }

    private List<String> environments() {
        try {
            return master.client().getChildren().forPath(ZkLayout.ROOT).stream().filter(RegionSync::isEnvironment).toList();
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw RolloutException.zooKeeper("master", "list the environments", e);
        }
    }

    /** Judges one environment and takes the step. */
    Decision check(String environment) {
        ReleaseNodes.Stored stored = master.read(environment).orElse(null);
        if (stored == null || stored.release() == null) {
            if (stored != null) {
                log.error("the master's release of {} is invalid and cannot be driven: {}", environment, stored.error());
            }
            return new Decision(RolloutRules.Step.WAIT, "no valid release");
        }
        Release release = stored.release();
        if (!tracker.isLoaded(environment)) {
            return new Decision(RolloutRules.Step.WAIT, "loading the hosts of every region");
        }
        Instant now = clock.instant();
        List<HostStatus> present = tracker.hosts(environment);
        WaveProgress progress = WaveProgress.of(release, present, missingHosts(environment, present, now));
        Decision decision = RolloutRules.decide(release, progress, policies.apply(environment),
                timers.computeIfAbsent(environment, e -> new RolloutRules.WaveTimer()), now);
        switch (decision.step()) {
            case OPEN_NEXT -> openNext(environment, stored, decision);
            case ROLLBACK -> {
                log.warn("rolling {} back from build {}: {}", environment, release.buildId(), decision.reason());
                publisher.rollback(environment, stored, Actors.DRIVER, decision.reason(), DeploymentAction.AUTO_ROLLBACK);
            }
            case FAIL -> fail(environment, stored, decision);
            case COMPLETE -> complete(environment, release, decision);
            case WAIT -> {
                if (!decision.reason().equals(lastReasons.get(environment))) {
                    log.debug("{}: {}", environment, decision.reason());
                }
            }
        }
        lastReasons.put(environment, "v" + release.version() + " " + decision.step() + ": " + decision.reason());
        return decision;
    }

    /** Hosts seen within {@link #MISSING_GRACE} whose node is gone now. */
    private Set<String> missingHosts(String environment, List<HostStatus> present, Instant now) {
        Map<String, Instant> seen = lastSeen.computeIfAbsent(environment, e -> new HashMap<>());
        Set<String> missing = new HashSet<>(seen.keySet());
        for (HostStatus host : present) {
            seen.put(host.host(), now);
            missing.remove(host.host());
        }
        seen.values().removeIf(at -> Duration.between(at, now).compareTo(MISSING_GRACE) > 0);
        missing.retainAll(seen.keySet());
        return missing;
    }

    private void openNext(String environment, ReleaseNodes.Stored stored, Decision decision) {
        Release current = stored.release();
        audit.recordAround(environment, current.buildId(), Actors.DRIVER, now -> {
            Release written = writer.write(environment, stored, ReleaseBuilder.from(current).openWave(current.openWave() + 1)
                    .published(Actors.DRIVER, clock.instant()));
            String detail = "opened wave " + (written.openWave() + 1) + " of " + written.waves().size() + " (" + written.openPercent()
                    + "% of hosts) as version " + written.version() + ": " + decision.reason();
            log.info("{}: {}", environment, detail);
            return new Outcome<>(written, DeploymentAction.WAVE_OPENED, written.version(), detail);
        });
    }

    private void fail(String environment, ReleaseNodes.Stored stored, Decision decision) {
        Release current = stored.release();
        if (current.paused() && Long.valueOf(current.buildId()).equals(failedBuilds.get(environment))) {
            return;
        }
        audit.recordAround(environment, current.buildId(), Actors.DRIVER, now -> {
            Release written = current.paused() ? current
                    : writer.write(environment, stored, ReleaseBuilder.from(current).paused(true).published(Actors.DRIVER, clock.instant()));
            String detail = "rollout of build " + current.buildId() + " failed and is paused (no previous build to go back to): "
                    + decision.reason();
            log.error("{}: {}", environment, detail);
            return new Outcome<>(written, DeploymentAction.FAILED, written.version(), detail);
        });
        failedBuilds.put(environment, current.buildId());
    }

    private void complete(String environment, Release release, Decision decision) {
        if (completedVersions.getOrDefault(environment, -1L) == release.version()) {
            return;
        }
        DeploymentAction action = release.rollback() ? DeploymentAction.ROLLBACK_COMPLETED : DeploymentAction.COMPLETED;
        boolean recorded = audit.recent(environment, 20).stream()
                .anyMatch(d -> d.action() == action && d.releaseVersion() != null && d.releaseVersion() == release.version());
        if (!recorded) {
            audit.record(environment, release.buildId(), release.version(), action, decision.reason(), Actors.DRIVER);
            log.info("{}: rollout of build {} {}", environment, release.buildId(), release.rollback() ? "rolled back" : "completed");
        }
        completedVersions.put(environment, release.version());
    }

    @Override
    protected void doClose() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            latch.close();
        } catch (IOException | IllegalStateException e) {
            log.debug("leader latch close: {}", e.toString());
        }
    }
}
