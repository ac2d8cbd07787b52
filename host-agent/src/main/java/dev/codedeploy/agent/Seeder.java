package dev.codedeploy.agent;

import bt.metainfo.Torrent;
import dev.codedeploy.agent.download.ArtifactVerifier;
import dev.codedeploy.agent.download.BlobDownload;
import dev.codedeploy.agent.download.DownloadFailedException;
import dev.codedeploy.agent.download.PeerDownload;
import dev.codedeploy.agent.download.SeedFeed;
import dev.codedeploy.agent.install.DiskSpace;
import dev.codedeploy.agent.install.DiskSpaceException;
import dev.codedeploy.agent.install.ReleaseCleaner;
import dev.codedeploy.agent.p2p.Swarm;
import dev.codedeploy.release.ReleaseWatcher;
import dev.codedeploy.config.ByteSizes;
import dev.codedeploy.release.Release;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regional seeder ({@code codedeploy-agent --seed}): for each new release it fetches the artifact from the
 * regional blob store, checks its sha256 against the signed release (an altered regional object is refused and
 * fetched again after the retry interval), and seeds it first, publishing itself in its peer node
 * {@code hosts/<bucket>/<seeder>/peer} (a seeder is enrolled like a host, with {@code codedeploy hosts enroll}).
 * A super-seeding seeder (the default) joins the swarm before it fetches and serves each piece as soon as it has
 * arrived and matched the torrent ({@link SeedFeed}); otherwise it seeds once the whole file is fetched and checked.
 * It installs nothing and writes no status node, so the rollout never counts it as a host.
 *
 * <p>Losing ZooKeeper: it keeps seeding; its peer node comes back after RECONNECTED (see {@link AgentService}).
 */
public final class Seeder extends AgentService {

    private static final Logger LOG = LoggerFactory.getLogger(Seeder.class);

    private BlobDownload fetcher;
    private SeedFeed feeder;
    private ReleaseCleaner cleaner;
    private final java.util.Map<Long, Long> lastUploaded = new java.util.HashMap<>();
    private long retryBuild = -1;
    private Instant retryAt = Instant.EPOCH;

    /** A seeder for {@code config}; nothing runs before {@link #start()}. */
    public Seeder(AgentConfig config) {
        this(config, Clock.systemUTC());
    }

    Seeder(AgentConfig config, Clock clock) {
        super(config, clock);
    }

    @Override
    protected boolean isSeeder() {
        return true;
    }

    @Override
    protected boolean usesPeers() {
        return true;
    }

    @Override
    protected long minReleaseVersion() {
        return 0;
    }

    @Override
    protected void onStart() {
        fetcher = new BlobDownload(blobs, store);
        feeder = new SeedFeed(blobs, store);
        cleaner = new ReleaseCleaner(store);
    }

    @Override
    protected Duration converge(ReleaseWatcher.Verified verified) throws InterruptedException {
        if (verified == null) {
            return HOUSEKEEPING;
        }
        Release release = verified.release();
        long build = release.buildId();
        for (Long other : network.builds()) {
            if (other != build) {
                network.retire(other);
            }
        }
        if (network.swarm(build).isPresent() || (build == retryBuild && clock.instant().isBefore(retryAt))) {
            return HOUSEKEEPING;
        }
        try {
            if (!store.isVerified(build, release.sha256(), release.size()) && network.feedable()) {
                return feed(release);
            }
            if (!store.isVerified(build, release.sha256(), release.size())) {
                long needed = release.size() - store.artifactBytes(build);
                if (!DiskSpace.fits(store.root(), needed, config.install().reserveBytes())) {
                    throw new DiskSpaceException("disk full: build " + build + " needs " + ByteSizes.format(needed) + ", "
                            + ByteSizes.format(DiskSpace.usable(store.root())) + " free under " + store.root());
                }
                LOG.info("fetching build {} ({}) from blob store '{}'", build, ByteSizes.format(release.size()), blobs.name());
                if (!fetcher.fetch(release, progress -> { }, () -> stillWanted(build))) {
                    return Duration.ZERO;
                }
                try {
                    if (!store.isVerified(build, release.sha256(), release.size())) {
                        ArtifactVerifier.verify(store, release);
                    }
                } catch (DownloadFailedException e) {
                    store.deleteDownload(build);
                    throw new DownloadFailedException("the regional object " + release.artifactKey() + " is altered: " + e.getMessage(), e);
                }
            }
            Torrent torrent = PeerDownload.torrent(release, store, blobs);
            Swarm swarm = network.join(build, torrent, store.downloadDir(build));
            awaitChecked(swarm, release);
            LOG.info("seeding build {} ({})", build, release.sha());
            return HOUSEKEEPING;
        } catch (DownloadFailedException | DiskSpaceException e) {
            retryBuild = build;
            retryAt = clock.instant().plus(config.retryInterval());
            LOG.error("not seeding build {}: {}; trying again in {}", build, e.getMessage(), config.retryInterval());
            return config.retryInterval();
        }
    }

    /**
     * Seeds {@code release} while fetching it: the swarm serves each piece as soon as it is written and checked
     * ({@link SeedFeed}), so that hosts download from publication on.
     */
    private Duration feed(Release release) throws InterruptedException {
        long build = release.buildId();
        long needed = release.size() - store.artifactBytes(build);
        if (!DiskSpace.fits(store.root(), needed, config.install().reserveBytes())) {
            throw new DiskSpaceException("disk full: build " + build + " needs " + ByteSizes.format(needed) + ", "
                    + ByteSizes.format(DiskSpace.usable(store.root())) + " free under " + store.root());
        }
        Torrent torrent = PeerDownload.torrent(release, store, blobs);
        Swarm swarm = network.feed(build, torrent, store.downloadDir(build));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (!swarm.checked() && System.nanoTime() < deadline && stillWanted(build)) {
            Thread.sleep(50);
        }
        LOG.info("fetching build {} ({}) from blob store '{}', seeding each piece as it arrives", build, ByteSizes.format(release.size()),
                blobs.name());
        try {
            if (!feeder.feed(release, torrent, swarm, () -> stillWanted(build))) {
                network.leave(build);
                return Duration.ZERO;
            }
        } catch (DownloadFailedException e) {
            network.leave(build);
            store.deleteDownload(build);
            throw e;
        }
        LOG.info("seeding build {} ({}): fetched and verified", build, release.sha());
        return HOUSEKEEPING;
    }

    /** Waits until bt has checked the pieces on disk: all of them must match the torrent. */
    private void awaitChecked(Swarm swarm, Release release) throws InterruptedException {
        long build = release.buildId();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (System.nanoTime() < deadline && stillWanted(build)) {
            try {
                swarm.downloaded().get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException notYet) {
                if (swarm.checkedPieces() >= 0 && swarm.checkedPieces() < swarm.progress().piecesTotal()) {
                    network.leave(build);
                    store.deleteDownload(build);
                    throw new DownloadFailedException("the torrent " + release.torrentKey() + " does not match the verified artifact: only "
                            + swarm.checkedPieces() + " of " + swarm.progress().piecesTotal() + " pieces match", null);
                }
            } catch (ExecutionException e) {
                network.leave(build);
                throw new DownloadFailedException("bt cannot seed build " + build + ": " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    protected void housekeeping() {
        for (Long build : network.builds()) {
            network.swarm(build).ifPresent(swarm -> {
                if (swarm.uploaded() != lastUploaded.getOrDefault(build, 0L)) {
                    lastUploaded.put(build, swarm.uploaded());
                    LOG.info("build {}: {} uploaded to {} peer(s) so far", build, ByteSizes.format(swarm.uploaded()), swarm.progress().peers());
                }
            });
        }
        network.leaveExpired();
        Set<Long> keep = new HashSet<>(network.builds());
        ReleaseWatcher.Verified latest = watcher.latest();
        cleaner.clean(0, keep, latest == null ? null : latest.release().buildId());
    }

    @Override
    protected void onClose() {
        // the network is closed by the base class
    }
}
