package dev.codedeploy.release;

import dev.codedeploy.config.Durations;
import dev.codedeploy.lifecycle.AbstractService;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's view of its environment's release in its regional ZooKeeper: the one watcher that host agents, seeders
 * and the sandbox's simulated hosts run. It hands each acceptable newer record to a listener, and logs and skips
 * everything else:
 * <ul>
 *   <li>a record that is malformed, unsigned, wrongly signed, or signed with a key id the keyring does not hold;</li>
 *   <li>a record of another environment (the signed payload names it);</li>
 *   <li>a version not above the last one accepted, or below the one this host already acted on (a replayed older
 *       record);</li>
 *   <li>while the host has acted on nothing (a fresh host, no state to compare with): a record signed longer ago than
 *       {@code maxAge}. The control plane signs the current record again every {@code rollout.refreshInterval}, so a
 *       fresh host takes the current record within that time, and an old record replayed into the node is too old.</li>
 * </ul>
 * A deleted node changes nothing: the host keeps what it runs.
 *
 * <p>It rests on a single-node {@link CuratorCache}: while SUSPENDED nothing arrives; after RECONNECTED, or LOST and a
 * new session, the cache reads the node again and a record missed meanwhile arrives then.
 */
public final class ReleaseWatcher extends AbstractService {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseWatcher.class);

    /** How old a record a fresh host takes, by default: a day (the control plane signs again every hour by default). */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(1);

    /**
     * A record accepted.
     *
     * @param release   the release
     * @param signedAt  when the control plane signed it (null for a record of the first format)
     * @param nodeBytes the signed envelope, kept on disk beside its install
     */
    public record Verified(Release release, Instant signedAt, byte[] nodeBytes) {
    }

    private final CuratorFramework client;
    private final String environment;
    private final String path;
    private final ReleaseKeyring keys;
    private final long actedVersion;
    private final Duration maxAge;
    private final Clock clock;
    private final Consumer<Verified> listener;
    private final AtomicReference<Verified> latest = new AtomicReference<>();
    private final AtomicLong rejected = new AtomicLong();
    private volatile byte[] lastRefused;
    private CuratorCache cache;

    /**
     * A watcher of {@code environment}'s release.
     *
     * @param actedVersion the release version this host last acted on (0 for a fresh host): older versions are refused
     * @param maxAge       how old a record a fresh host takes
     * @param listener     called on Curator's event thread with every record accepted; keep it short
     */
    public ReleaseWatcher(CuratorFramework client, String environment, ReleaseKeyring keys, long actedVersion, Duration maxAge,
                          Clock clock, Consumer<Verified> listener) {
        this.client = client;
        this.environment = ZkLayout.checkEnvironment(environment);
        this.path = ZkLayout.release(environment);
        this.keys = keys;
        this.actedVersion = actedVersion;
        this.maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
        this.clock = clock;
        this.listener = listener;
    }

    /** A fresh host's watcher with one key for every key id and the default age, handing out releases (simulated hosts). */
    public ReleaseWatcher(CuratorFramework client, String environment, PublicKey key, Consumer<Release> listener) {
        this(client, environment, ReleaseKeyring.anyId(key), 0, DEFAULT_MAX_AGE, Clock.systemUTC(), v -> listener.accept(v.release()));
    }

    /** The newest record accepted, or null before one was. */
    public Verified latest() {
        return latest.get();
    }

    /** The newest release accepted. */
    public Optional<Release> current() {
        return Optional.ofNullable(latest.get()).map(Verified::release);
    }

    /** How many records were refused (malformed, wrongly signed, of another environment, or too old for a fresh host). */
    public long rejected() {
        return rejected.get();
    }

    @Override
    protected void doStart() {
        cache = CuratorCache.build(client, path, CuratorCache.Options.SINGLE_NODE_CACHE);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, node) -> accept(node))
                .forDeletes(gone -> LOG.warn("{} was deleted; keeping the release this host has", path))
                .build());
        cache.start();
    }

    void accept(ChildData node) {
        if (node == null || node.getData() == null) {
            return;
        }
        byte[] bytes = node.getData();
        SignedRelease.Opened opened;
        try {
            opened = SignedRelease.open(bytes, keys, environment, path);
        } catch (InvalidReleaseException e) {
            refuse(bytes, "ignoring the release record: " + e.getMessage());
            return;
        }
        Release release = opened.release();
        Verified before = latest.get();
        if (before != null && release.version() <= before.release().version()) {
            return;
        }
        if (release.version() < actedVersion) {
            refuse(bytes, "ignoring release version " + release.version() + " of " + environment + ": this host already acted on version "
                    + actedVersion + " (an older record was replayed)");
            return;
        }
        if (before == null && actedVersion == 0 && !fresh(opened.signedAt())) {
            refuse(bytes, "not acting on release version " + release.version() + " of " + environment + ": it was signed "
                    + (opened.signedAt() == null ? "before records carried a time" : "at " + opened.signedAt())
                    + ", longer ago than the " + Durations.format(maxAge) + " a host without state accepts (an old record may have been"
                    + " replayed); waiting for the control plane to sign the current record again");
            return;
        }
        latest.set(new Verified(release, opened.signedAt(), bytes));
        LOG.info("release version {}: build {} ({}), open wave {} ({} %){}{}", release.version(), release.buildId(),
                release.sha(), release.openWave(), release.openPercent(), release.paused() ? ", paused" : "",
                release.rollback() ? ", rollback" : "");
        try {
            listener.accept(latest.get());
        } catch (RuntimeException e) {
            LOG.error("the release listener failed on version {} of {}: {}", release.version(), path, e.toString(), e);
        }
    }

    private boolean fresh(Instant signedAt) {
        return signedAt != null && !signedAt.plus(maxAge).isBefore(clock.instant());
    }

    private void refuse(byte[] bytes, String why) {
        rejected.incrementAndGet();
        if (!Arrays.equals(bytes, lastRefused)) {
            lastRefused = bytes;
            LOG.error(why);
        }
    }

    @Override
    protected void doClose() {
        if (cache != null) {
            cache.close();
        }
    }
}
