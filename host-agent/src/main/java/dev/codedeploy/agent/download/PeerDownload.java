package dev.codedeploy.agent.download;

import bt.metainfo.Torrent;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.agent.install.ReleaseStore;
import dev.codedeploy.agent.p2p.PeerNetwork;
import dev.codedeploy.agent.p2p.Swarm;
import dev.codedeploy.agent.p2p.TorrentFiles;
import dev.codedeploy.blob.BlobNotFoundException;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BlobStoreException;
import dev.codedeploy.config.ByteSizes;
import dev.codedeploy.config.Durations;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the artifact with BitTorrent: the {@code .torrent} from the regional blob store (kept beside the
 * download, checked against the release), the bytes from the peers in ZooKeeper. bt checks the pieces already on
 * disk first, so a download interrupted by a crash resumes where it was.
 */
public final class PeerDownload implements ArtifactFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(PeerDownload.class);

    private final PeerNetwork network;
    private final BlobStore blobs;
    private final ReleaseStore store;
    private final Duration stallTimeout;

    /**
     * Fetches through {@code network}, torrents from {@code blobs}, into {@code store}; a download without a new
     * piece for {@code stallTimeout} once a peer has offered pieces is abandoned (its torrent is fetched again at the
     * next attempt).
     */
    public PeerDownload(PeerNetwork network, BlobStore blobs, ReleaseStore store, Duration stallTimeout) {
        this.network = network;
        this.blobs = blobs;
        this.store = store;
        this.stallTimeout = stallTimeout;
    }

    @Override
    public boolean fetch(Release release, Consumer<HostStatus.Progress> progress, BooleanSupplier wanted) throws InterruptedException {
        try {
            return download(release, progress, wanted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean download(Release release, Consumer<HostStatus.Progress> progress, BooleanSupplier wanted)
            throws InterruptedException, IOException {
        long build = release.buildId();
        boolean resuming = store.artifactBytes(build) > 0;
        Torrent torrent = torrent(release, store, blobs);
        Swarm swarm = network.join(build, torrent, store.downloadDir(build));
        if (resuming) {
            LOG.info("resuming the download of build {}: {} already on disk, bt checks its pieces", build,
                    ByteSizes.format(store.artifactBytes(build)));
        }
        int lastPieces = -1;
        long lastChange = System.nanoTime();
        long lastTorrentCheck = System.nanoTime();
        while (true) {
            try {
                swarm.downloaded().get(250, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException notYet) {
                HostStatus.Progress now = swarm.progress();
                progress.accept(now);
                if (!wanted.getAsBoolean()) {
                    return false;
                }
                // the clock runs once a peer offers pieces: before that, the host waits for its region's seeder
                if (!swarm.piecesOffered() && System.nanoTime() - lastTorrentCheck > stallTimeout.toNanos()) {
                    // nobody offers a piece: perhaps the torrent this host took was replaced since (a repaired object),
                    // and the seeder and peers are in the swarm of the new one
                    lastTorrentCheck = System.nanoTime();
                    if (torrentReplaced(release, torrent)) {
                        network.leave(build);
                        Files.deleteIfExists(store.torrent(build));
                        throw new DownloadFailedException("the torrent of build " + build + " in blob store '" + blobs.name()
                                + "' is not the one this download started with, and no peer offered a piece for "
                                + Durations.format(stallTimeout) + ": started again with the new torrent", null);
                    }
                }
                if (now.piecesDone() != lastPieces || !swarm.piecesOffered()) {
                    lastPieces = now.piecesDone();
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > stallTimeout.toNanos()) {
                    network.leave(build);
                    Files.deleteIfExists(store.torrent(build));
                    throw new DownloadFailedException("no new piece of build " + build + " for " + Durations.format(stallTimeout)
                            + " while peers offer pieces ("
                            + now.piecesDone() + "/" + now.piecesTotal() + " pieces, " + now.peers() + " peer(s)): started again with a fresh torrent", null);
                }
            } catch (ExecutionException e) {
                network.leave(build);
                throw new DownloadFailedException("bt stopped downloading build " + build + ": " + e.getCause(), e.getCause());
            }
        }
        HostStatus.Progress done = swarm.progress();
        progress.accept(done);
        int total = (int) ((release.size() + release.pieceSize() - 1) / release.pieceSize());
        int fetched = Math.min(total, swarm.piecesFetched());
        LOG.info("build {} downloaded: {} in {} pieces, {} fetched from peers, {} found on disk{}; {} uploaded to peers meanwhile", build,
                ByteSizes.format(release.size()), total, fetched, total - fetched, resuming ? " (resumed after a restart)" : "",
                ByteSizes.format(swarm.uploaded()));
        return true;
    }

    /**
     * The torrent of {@code release}: the copy beside the download when it is valid, else from the blob store
     * (and kept).
     *
     * @throws DownloadFailedException when the blob store cannot give a valid one
     */
    public static Torrent torrent(Release release, ReleaseStore store, BlobStore blobs) {
        long build = release.buildId();
        try {
            if (Files.isRegularFile(store.torrent(build))) {
                try {
                    return TorrentFiles.read(Files.readAllBytes(store.torrent(build)), release, store.torrent(build).toString());
                } catch (InvalidInputException e) {
                    LOG.warn("fetching the torrent again: {}", e.getMessage());
                }
            }
            byte[] bytes = storedTorrent(release, blobs);
            Torrent torrent = TorrentFiles.read(bytes, release, release.torrentKey() + " in blob store '" + blobs.name() + "'");
            Files.createDirectories(store.downloadDir(build));
            Files.write(store.torrent(build), bytes);
            return torrent;
        } catch (BlobStoreException | BlobNotFoundException | InvalidInputException e) {
            throw new DownloadFailedException("cannot get the torrent of build " + build + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the blob store now holds a valid torrent of {@code release} other than {@code inUse}; one bounded read. */
    private boolean torrentReplaced(Release release, Torrent inUse) {
        try {
            Torrent stored = TorrentFiles.read(storedTorrent(release, blobs), release,
                    release.torrentKey() + " in blob store '" + blobs.name() + "'");
            return !stored.getTorrentId().equals(inUse.getTorrentId());
        } catch (BlobStoreException | BlobNotFoundException | InvalidInputException e) {
            LOG.debug("cannot check the torrent of build {} again now: {}", release.buildId(), e.getMessage());
            return false;
        }
    }

    /** The torrent's bytes in the blob store, read no further than the release's piece count allows. */
    private static byte[] storedTorrent(Release release, BlobStore blobs) {
        return blobs.getBytes(release.torrentKey(), TorrentFiles.maxBytes(release));
    }

    @Override
    public void discard(long build) {
        network.leave(build);
    }
}
