package dev.codedeploy.agent;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.agent.download.ArtifactFetcher;
import dev.codedeploy.agent.download.ArtifactVerifier;
import dev.codedeploy.agent.download.DownloadFailedException;
import dev.codedeploy.agent.download.PeerDownload;
import dev.codedeploy.agent.health.HookEnvironment;
import dev.codedeploy.agent.install.AgentState;
import dev.codedeploy.agent.install.DiskSpace;
import dev.codedeploy.agent.install.DiskSpaceException;
import dev.codedeploy.agent.install.ReleaseCleaner;
import dev.codedeploy.agent.install.ReleaseStore;
import dev.codedeploy.agent.p2p.PeerNetwork;
import dev.codedeploy.agent.report.AgentMetrics;
import dev.codedeploy.agent.report.StatusReporter;
import dev.codedeploy.release.ReleaseWatcher;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.config.ByteSizes;
import dev.codedeploy.config.Durations;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's way to a release, one step per call: download (DOWNLOADING), check the whole file's sha256 against
 * the signed release and install (VERIFIED), and when the host's wave is open switch and health-check (SWITCHING,
 * then HEALTHY, or ROLLED_BACK / FAILED). A download that fails, is corrupt or does not fit is reported as FAILED
 * and tried again after the retry interval; a build whose activation failed is not tried again while the release
 * names it. Nothing here touches {@code current} before the new bytes are verified and installed.
 */
final class Deployer {

    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);

    private final AgentConfig config;
    private final ReleaseStore store;
    private final StatusReporter reporter;
    private final ArtifactFetcher fetcher;
    private final PeerNetwork network;
    private final BlobStore blobs;
    private final Activation activation;
    private final ReleaseCleaner cleaner;
    private final LongPredicate stillWanted;
    private final Clock clock;
    private final AgentMetrics metrics;
    private AgentState state;
    private long retryBuild = -1;
    private Instant retryAt = Instant.EPOCH;

    Deployer(AgentConfig config, ReleaseStore store, StatusReporter reporter, ArtifactFetcher fetcher, PeerNetwork network,
             BlobStore blobs, LongPredicate stillWanted, Clock clock, AgentMetrics metrics) {
        this.config = config;
        this.store = store;
        this.reporter = reporter;
        this.fetcher = fetcher;
        this.network = network;
        this.blobs = blobs;
        this.stillWanted = stillWanted;
        this.clock = clock;
        this.activation = new Activation(store, reporter, config.hostId(), config.keyring(),
                new HookEnvironment(config.hookEnvironment()), metrics);
        this.metrics = metrics;
        this.cleaner = new ReleaseCleaner(store);
        this.state = store.state();
    }

    /** One step towards {@code verified}; returns when to be called again at the latest. */
    Duration converge(ReleaseWatcher.Verified verified) throws InterruptedException {
        Long current = boxed(store.current());
        if (verified == null) {
            reporter.report(HostState.IDLE, current, null, 0, null, null);
            return AgentService.HOUSEKEEPING;
        }
        Release release = verified.release();
        long build = release.buildId();
        AgentState next = state.withReleaseVersion(release.version()).forgetFailuresExcept(build);
        if (!next.equals(state)) {
            save(next);
        }
        leaveOtherBuilds(build);
        if (state.activating() != null) {
            // a switch was cut short by a crash: decide it first
            AgentState.Activation cut = state.activating();
            if (current != null && current == cut.build()) {
                store.readReleaseRecord(cut.build(), config.keyring()).ifPresentOrElse(
                        r -> state = activation.confirm(r, state), () -> save(state.withActivating(null)));
                return Duration.ZERO;
            }
            save(state.withActivating(null));
        }
        boolean isCurrent = current != null && current == build;
        if (isCurrent && state.healthyBuild() != null && state.healthyBuild() == build) {
            reporter.report(HostState.HEALTHY, current, build, release.version(), null, null);
            seed(release);
            return AgentService.HOUSEKEEPING;
        }
        AgentState.Failure failure = state.failedBuilds().get(build);
        if (failure != null) {
            // also when it stayed current for want of a previous release: its check is not run again and again
            reporter.report(failure.state(), current, build, release.version(), null, failure.error());
            return AgentService.HOUSEKEEPING;
        }
        if (isCurrent) {
            // switched, but no record of its health check (state lost, or an older agent): decide it now
            state = activation.confirm(release, state);
            seed(release);
            return AgentService.HOUSEKEEPING;
        }
        if (build == retryBuild && clock.instant().isBefore(retryAt)) {
            return Duration.between(clock.instant(), retryAt);
        }
        try {
            if (!store.isInstalled(build)) {
                if (!download(verified, current)) {
                    return Duration.ZERO;
                }
                store.install(release, config.install().reserveBytes(), config.install().maxEntries());
                store.saveReleaseRecord(build, verified.nodeBytes());
            }
        } catch (DownloadFailedException | DiskSpaceException e) {
            return retryLater(release, current, e.getMessage());
        } catch (InvalidInputException e) {
            // a hostile archive stays hostile: the same bytes are never tried again
            save(state.failed(build, HostState.FAILED, e.getMessage()));
            reporter.report(HostState.FAILED, current, build, release.version(), null, e.getMessage());
            return AgentService.HOUSEKEEPING;
        }
        seed(release);
        if (!release.mayActivate(config.hostId())) {
            reporter.report(HostState.VERIFIED, current, build, release.version(), null, null);
            return AgentService.HOUSEKEEPING;
        }
        state = activation.activate(release, state);
        return Duration.ZERO;
    }

    /** Downloads and verifies; false when the release moved on meanwhile. */
    private boolean download(ReleaseWatcher.Verified verified, Long current) throws InterruptedException {
        Release release = verified.release();
        long build = release.buildId();
        if (!store.isVerified(build, release.sha256(), release.size())) {
            makeRoom(release);
            reporter.report(HostState.DOWNLOADING, current, build, release.version(), null, null);
            boolean fetched;
            try {
                fetched = fetcher.fetch(release, progress -> {
                    reporter.progress(progress);
                    metrics.downloadProgress(build, progress);
                }, () -> stillWanted.test(build));
                if (fetched) {
                    // the last progress report may predate the last piece
                    metrics.downloadProgress(build, new HostStatus.Progress(release.size(), release.size(), 0, 0, 0));
                }
            } finally {
                metrics.downloadEnded();
            }
            if (!fetched) {
                return false;
            }
            try {
                if (!store.isVerified(build, release.sha256(), release.size())) {
                    ArtifactVerifier.verify(store, release);
                }
            } catch (DownloadFailedException e) {
                fetcher.discard(build);
                store.deleteDownload(build);
                throw e;
            }
            LOG.info("build {}: sha256 {} matches the signed release", build, release.sha256());
        }
        return true;
    }

    /** Frees space for {@code release} or refuses it with what was needed and what was free. */
    private void makeRoom(Release release) {
        long build = release.buildId();
        // a partial download is a sparse file as long as the artifact: count it all, bt writes the holes later
        long download = release.size();
        long unpacked = "TAR".equals(release.artifactFormat()) ? release.size() : 0;
        long reserve = config.install().reserveBytes();
        if (DiskSpace.fits(store.root(), download + unpacked, reserve)) {
            return;
        }
        // stop seeding old builds early and keep only current, previous and this build
        if (network != null) {
            for (Long other : network.builds()) {
                if (other != build) {
                    network.leave(other);
                }
            }
        }
        cleaner.clean(0, Set.of(build), build);
        if (!DiskSpace.fits(store.root(), download + unpacked, reserve)) {
            throw new DiskSpaceException("disk full: build " + build + " needs " + ByteSizes.format(download + unpacked) + " ("
                    + ByteSizes.format(download) + " to download, " + ByteSizes.format(unpacked) + " unpacked) and "
                    + ByteSizes.format(reserve) + " must stay free, but only " + ByteSizes.format(DiskSpace.usable(store.root()))
                    + " is free under " + store.root() + "; not downloaded, current build " + store.current().stream().boxed().findFirst().orElse(null)
                    + " untouched");
        }
    }

    private Duration retryLater(Release release, Long current, String error) {
        retryBuild = release.buildId();
        retryAt = clock.instant().plus(config.retryInterval());
        reporter.report(HostState.FAILED, current, release.buildId(), release.version(), null, error + " (trying again in "
                + Durations.format(config.retryInterval()) + ")");
        return config.retryInterval();
    }

    /** Seeds the verified artifact of {@code release} (after a restart too) when peers are in use. */
    private void seed(Release release) {
        long build = release.buildId();
        if (network == null || network.swarm(build).isPresent() || !store.isVerified(build, release.sha256(), release.size())) {
            return;
        }
        try {
            network.join(build, PeerDownload.torrent(release, store, blobs), store.downloadDir(build));
        } catch (DownloadFailedException e) {
            LOG.warn("not seeding build {}: {}", build, e.getMessage());
        }
    }

    /** Incomplete downloads of other builds stop; complete ones are seeded a while longer. */
    private void leaveOtherBuilds(long build) {
        if (network == null) {
            return;
        }
        for (Long other : network.builds()) {
            if (other == build) {
                continue;
            }
            boolean complete = network.swarm(other).map(s -> s.downloaded().isDone() && !s.downloaded().isCompletedExceptionally()).orElse(false);
            if (complete) {
                network.retire(other);
            } else {
                network.leave(other);
            }
        }
    }

    /**
     * Leaves expired swarms and deletes what is no longer needed; nothing before a release is known (right after a
     * start the current build's download is about to be seeded again).
     */
    void housekeeping(Long target) {
        if (target == null) {
            return;
        }
        Set<Long> keep = new HashSet<>();
        if (network != null) {
            network.leaveExpired();
            keep.addAll(network.builds());
        }
        store.current().ifPresent(keep::add);
        cleaner.clean(config.install().keepReleases(), keep, target);
    }

    private void save(AgentState newState) {
        state = newState;
        store.saveState(newState);
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
