package dev.codedeploy.rollout;

import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs each environment's current release record in the master again once its signature is older than
 * {@code rollout.refreshInterval}: the same payload and version, a new {@code signedAt}, written with compare-and-set.
 * Region sync copies it to the regions. A host that has acted on no record yet takes only a record signed within its
 * {@code maxReleaseAge}, so an old record replayed into a regional ZooKeeper cannot roll such a host back; this keeps
 * the current record within that age while nothing else changes it. (Every host reads the node again after a
 * refresh: one read of a few KB per host per interval.)
 *
 * <p>Several refreshers may run: one wins each compare-and-set, the others find the record fresh at their next pass.
 * Losing the master's ZooKeeper: passes fail and are logged; the next pass after the connection is back refreshes
 * what has become old.
 */
final class ReleaseRefresher extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(ReleaseRefresher.class);

    private final ReleaseNodes master;
    private final PrivateKey key;
    private final String keyId;
    private final Duration interval;
    private final Clock clock;
    private ScheduledExecutorService executor;

    ReleaseRefresher(ReleaseNodes master, PrivateKey key, String keyId, Duration interval, Clock clock) {
        this.master = master;
        this.key = key;
        this.keyId = keyId;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    protected void doStart() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "release-refresher");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1_000, Math.min(TimeUnit.MINUTES.toMillis(5), interval.toMillis() / 10));
        executor.scheduleWithFixedDelay(this::refreshAllSafely, 0, period, TimeUnit.MILLISECONDS);
        log.info("release refresher started: records are signed again every {}", interval);
    }

    private void refreshAllSafely() {
        try {
            refreshAll();
        } catch (RuntimeException e) {
            log.warn("release refresh failed, trying again at the next pass: {}", e.getMessage());
        }
    }

    /** Refreshes every environment whose record is due; for the scheduler and tests. */
    void refreshAll() {
        List<String> environments;
        try {
            environments = master.client().getChildren().forPath(ZkLayout.ROOT).stream().filter(RegionSync::isEnvironment).toList();
        } catch (KeeperException.NoNodeException e) {
            return;
        } catch (Exception e) {
            throw RolloutException.zooKeeper(master.name(), "list the environments to refresh", e);
        }
        for (String environment : environments) {
            try {
                refresh(environment);
            } catch (ReleaseConflictException e) {
                log.debug("{} changed while it was refreshed: it is fresh now", environment);
            }
        }
    }

    /**
     * Signs the record of {@code environment} again if its signature is older than the interval.
     *
     * @return true when it wrote
     */
    boolean refresh(String environment) {
        ReleaseNodes.Stored stored = master.read(environment).orElse(null);
        if (stored == null || stored.release() == null) {
            return false;
        }
        Instant now = clock.instant();
        Instant signedAt = stored.signedAt();
        if (signedAt != null && signedAt.plus(interval).isAfter(now)) {
            return false;
        }
        SignedRelease again = stored.envelope().resign(key, keyId, now);
        master.compareAndSet(environment, stored, again.toBytes());
        log.info("{}: release version {} (build {}) signed again as of {} (last signed {})", environment, stored.version(),
                stored.release().buildId(), now, signedAt == null ? "without a time" : signedAt);
        return true;
    }

    @Override
    protected void doClose() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
