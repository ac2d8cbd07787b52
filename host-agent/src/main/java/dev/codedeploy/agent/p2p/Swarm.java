package dev.codedeploy.agent.p2p;

import bt.Bt;
import bt.data.Storage;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentId;
import bt.net.IPeerConnectionPool;
import bt.net.PeerConnection;
import bt.runtime.BtClient;
import bt.runtime.BtRuntime;
import bt.torrent.TorrentDescriptor;
import bt.torrent.TorrentRegistry;
import bt.torrent.TorrentSessionState;
import dev.codedeploy.release.HostStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build's torrent in the agent's bt runtime: downloads into its folder (bt first checks the pieces already
 * there, which is how a download resumes after a crash) and then keeps seeding until stopped.
 */
public final class Swarm {

    private static final Logger LOG = LoggerFactory.getLogger(Swarm.class);
    private static final long STATE_PERIOD_MS = 500;
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(5);

    private final BtRuntime runtime;
    private final long buildId;
    private final Torrent torrent;
    private final Path folder;
    private final CompletableFuture<Void> downloaded = new CompletableFuture<>();
    private final AtomicReference<HostStatus.Progress> progress;
    private volatile long downloadedThisSession;
    private volatile long uploaded;
    private volatile int checkedPieces = -1;
    private volatile boolean offered;
    private final java.util.concurrent.atomic.AtomicInteger piecesFetched = new java.util.concurrent.atomic.AtomicInteger();
    private final Storage storage;
    private final boolean fed;
    private BtClient client;

    Swarm(BtRuntime runtime, long buildId, Torrent torrent, Path folder, Storage storage, boolean fed) {
        this.runtime = runtime;
        this.fed = fed;
        this.storage = storage;
        this.buildId = buildId;
        this.torrent = torrent;
        this.folder = folder;
        this.progress = new AtomicReference<>(new HostStatus.Progress(0, torrent.getSize(), 0, count(torrent), 0));
    }

    private static int count(Torrent torrent) {
        return (int) ((torrent.getSize() + torrent.getChunkSize() - 1) / torrent.getChunkSize());
    }

    synchronized void start() {
        // bt announces a piece as verified only when it came from a peer, not when it was found on disk
        runtime.getEventSource().onPieceVerified(torrent.getTorrentId(), event -> piecesFetched.incrementAndGet());
        runtime.getEventSource().onPeerBitfieldUpdated(torrent.getTorrentId(), event -> {
            if (event.getBitfield().getPiecesComplete() > 0) {
                offered = true;
            }
        });
        var builder = Bt.client(runtime)
                .storage(storage)
                .torrent(() -> torrent)
                .afterDownloaded(t -> completeIfAllVerified());
        if (fed) {
            // the pieces come from {@link #pieceWritten}, never from peers
            builder.selector((relevant, statistics) -> java.util.stream.IntStream.empty());
        }
        client = builder.build();
        client.startAsync(this::onState, STATE_PERIOD_MS).whenComplete((ignored, error) -> {
            // bt logs a failed stage and ends the torrent without an error: a download that ends unfinished failed
            downloaded.completeExceptionally(error != null ? error : new IllegalStateException(
                    "bt ended the torrent of build " + buildId + " before every piece was verified (its log says why)"));
        });
    }

    /** bt runs its after-download listeners even when the download stage ended early: completes only on a full file. */
    private void completeIfAllVerified() {
        runtime.service(TorrentRegistry.class).getDescriptor(torrent.getTorrentId()).map(TorrentDescriptor::getDataDescriptor)
                .filter(data -> data.getBitfield().getPiecesIncomplete() == 0)
                .ifPresent(data -> downloaded.complete(null));
    }

    private void onState(TorrentSessionState state) {
        if (!dataChecked()) {
            return; // bt is still checking the pieces already on disk
        }
        int total = state.getPiecesTotal();
        int done = state.getPiecesComplete();
        if (checkedPieces < 0) {
            // the first report may come after some pieces arrived from peers: those were not on disk
            checkedPieces = Math.max(0, done - piecesFetched.get());
        }
        long bytes = Math.min(torrent.getSize(), (long) done * torrent.getChunkSize());
        downloadedThisSession = state.getDownloaded();
        uploaded = state.getUploaded();
        progress.set(new HostStatus.Progress(bytes, torrent.getSize(), done, total, state.getConnectedPeers().size()));
        if (state.getPiecesRemaining() == 0) {
            downloaded.complete(null);
        }
    }

    private boolean dataChecked() {
        return runtime.service(TorrentRegistry.class).getDescriptor(torrent.getTorrentId())
                .map(TorrentDescriptor::getDataDescriptor).isPresent();
    }

    /**
     * For a swarm fed from elsewhere (the regional seeder fetching the build): {@code piece} is written to the
     * artifact and its SHA-1 matched the torrent's, so bt may serve it from now on.
     *
     * @throws IllegalStateException when this swarm is not fed, or bt has not checked the file yet
     */
    public void pieceWritten(int piece) {
        if (!fed) {
            throw new IllegalStateException("the swarm of build " + buildId + " downloads from peers: it is not fed");
        }
        runtime.service(TorrentRegistry.class).getDescriptor(torrent.getTorrentId()).map(TorrentDescriptor::getDataDescriptor)
                .orElseThrow(() -> new IllegalStateException("bt has not checked the file of build " + buildId + " yet"))
                .getBitfield().markLocalPieceVerified(piece);
    }

    /** Whether bt has checked the pieces already on disk (a fed swarm may be fed from then on). */
    public boolean checked() {
        return dataChecked();
    }

    /** Pieces received from peers and verified since this swarm started. */
    public int piecesFetched() {
        return piecesFetched.get();
    }

    /**
     * Whether a peer has offered pieces of this build since the swarm started: until then (the regional seeder is
     * still fetching the build, say) a download without progress is waiting, not stalled.
     */
    public boolean piecesOffered() {
        return offered;
    }

    /** Pieces found complete on disk when the swarm started, or -1 while bt is still checking them. */
    public int checkedPieces() {
        if (checkedPieces < 0 && downloaded.isDone() && !downloaded.isCompletedExceptionally()) {
            // finished before bt's first report: what was not fetched was on disk
            return Math.max(0, count(torrent) - piecesFetched.get());
        }
        return checkedPieces;
    }

    /** Completes when every piece is on disk and verified against the torrent; fails when bt fails. */
    public CompletableFuture<Void> downloaded() {
        return downloaded;
    }

    /** The latest progress (bt reports twice a second). */
    public HostStatus.Progress progress() {
        return progress.get();
    }

    /** Bytes received from peers since this swarm started (less than the size when a download resumed). */
    public long downloadedThisSession() {
        return downloadedThisSession;
    }

    /** Bytes sent to peers since this swarm started. */
    public long uploaded() {
        return uploaded;
    }

    /** The build. */
    public long buildId() {
        return buildId;
    }

    /** The torrent's id. */
    public TorrentId torrentId() {
        return torrent.getTorrentId();
    }

    /** The folder holding {@code artifact}. */
    public Path folder() {
        return folder;
    }

    /**
     * Stops downloading and seeding, and waits (a few seconds at most) until bt has forgotten the torrent, so that
     * it can be started again from the files on disk.
     */
    synchronized void stop() {
        if (client == null) {
            return;
        }
        // before bt stops: its after-download listeners must not report a stopped download as finished
        downloaded.completeExceptionally(new IllegalStateException("the swarm of build " + buildId + " was stopped"));
        try {
            client.stop();
        } catch (RuntimeException e) {
            LOG.debug("stopping the swarm of build {}: {}", buildId, e.toString());
        }
        client = null;
        // bt keeps a stopped torrent's connections, and a later start of the same torrent would be handed them
        // without the events that introduce a peer to the new session: it would never ask them for a piece
        runtime.service(IPeerConnectionPool.class).visitConnections(torrent.getTorrentId(), PeerConnection::closeQuietly);
        TorrentRegistry registry = runtime.service(TorrentRegistry.class);
        long deadline = System.nanoTime() + STOP_PATIENCE.toNanos();
        while (registry.getDescriptor(torrent.getTorrentId()).isPresent()) {
            if (System.nanoTime() > deadline) {
                LOG.warn("bt still holds the torrent of build {} {} after it was stopped: joining it again will fail until it lets go",
                        buildId, STOP_PATIENCE);
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
